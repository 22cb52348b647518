package io.github.grouptotp.keycloak.grace;

import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;

import org.keycloak.models.UserModel;

import io.github.grouptotp.policy.GracePeriod;
import io.github.grouptotp.policy.GroupTotpConfig;

/**
 * An admin's grant of a grace period, the only way to change one: a fresh period of the step's {@code graceDays}
 * from now, or one until a date (enrolment is forced from 00:00 UTC that day) in the future and at most
 * {@value GroupTotpConfig#MAX_GRACE_DAYS} days ahead. It replaces the stored record, and the reminders start afresh.
 */
public final class GraceGrant {

    /** Why a grant was refused, in words for the admin who asked; nothing was changed. */
    public static final class Refused extends RuntimeException {

        Refused(String message) {
            super(message);
        }
    }

    /** The grace period granted: enrolment is forced from {@code deadline}. */
    public record Granted(Instant start, Instant deadline) {
    }

    private GraceGrant() {
    }

    /**
     * @param until a date {@code yyyy-MM-dd}, or null or blank for {@code graceDays} from now
     * @throws Refused for a date that cannot be granted, or no date where the settings give no grace days
     */
    public static Granted grant(UserModel user, GroupTotpConfig config, String until, Instant now) {
        Instant deadline = deadline(config, until, now);
        GraceStore.grant(user, now, deadline);
        ReminderRecord.clear(user);
        return new Granted(now, deadline);
    }

    /** The deadline a grant sets, or why it cannot be granted. */
    static Instant deadline(GroupTotpConfig config, String until, Instant now) {
        if (until == null || until.isBlank()) {
            if (config.graceDays() == 0) {
                throw new Refused("The browser flow's step gives no grace days: name the date with 'until' (yyyy-MM-dd)");
            }
            return now.plus(Duration.ofDays(config.graceDays()));
        }
        Instant deadline;
        try {
            deadline = LocalDate.parse(until.trim()).atStartOfDay(ZoneOffset.UTC).toInstant();
        } catch (DateTimeParseException e) {
            throw new Refused("'until' must be a date like 2026-12-31 (enrolment is forced from 00:00 UTC that day)");
        }
        if (!deadline.isAfter(now)) {
            throw new Refused("'until' must be a date in the future");
        }
        if (deadline.isAfter(now.plus(GracePeriod.MAX_GRANT))) {
            throw new Refused("'until' may be at most " + GroupTotpConfig.MAX_GRACE_DAYS + " days ahead");
        }
        return deadline;
    }
}

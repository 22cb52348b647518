package io.github.grouptotp.keycloak.remind;

import java.net.URI;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;

import org.jboss.logging.Logger;
import org.keycloak.cluster.ExecutionResult;
import org.keycloak.models.KeycloakSession;
import org.keycloak.models.RealmModel;
import org.keycloak.models.UserModel;

import io.github.grouptotp.keycloak.LoginRecord;
import io.github.grouptotp.keycloak.StepConfigs;
import io.github.grouptotp.keycloak.enrolment.SecondFactors;
import io.github.grouptotp.keycloak.grace.GraceStore;
import io.github.grouptotp.keycloak.grace.ReminderRecord;
import io.github.grouptotp.keycloak.guard.UserLock;
import io.github.grouptotp.keycloak.rollout.RolloutReport;
import io.github.grouptotp.policy.EnrolmentStatus;
import io.github.grouptotp.policy.GroupTotpConfig;
import io.github.grouptotp.policy.ReminderSchedule;

/**
 * Sends one realm's reminders that are due now: to each required user who has not enrolled, has a known deadline
 * (a stamped grace start, a granted date or the enforcement date) and is on or past one of the {@code reminderDays}
 * before it. Each reminder is recorded on the user (a {@link ReminderRecord}) under the user's cluster-wide lock
 * before it is sent, so two nodes, two runs or a run and an admin's call never send it twice; a mail the server
 * refuses is taken back so that the next run tries again. At most once, never twice: a node that dies between
 * record and mail loses that one reminder.
 */
public final class Reminders {

    private static final Logger LOG = Logger.getLogger(Reminders.class);
    private static final int LOCK_SECONDS = 60;
    /** A mail server that refuses this many in a row is down: the rest wait for the next run. */
    private static final int MAX_FAILURES_IN_A_ROW = 3;

    /** Who gets (or, in a dry run, would get) a reminder, and for how many days before which deadline. */
    public record Recipient(String id, String username, Instant deadline, int reminderDay) {
    }

    /**
     * @param sent     reminders sent (none in a dry run)
     * @param skipped  users due a reminder who got none: no e-mail address, disabled, or the mail server refused
     * @param due      in a dry run, who would get one
     */
    public record Result(int sent, int skipped, List<Recipient> due) {
    }

    private record Due(Recipient recipient, long daysLeft, Optional<String> skipReason) {
    }

    private Reminders() {
    }

    /** Whether the realm has the SMTP settings Keycloak's e-mail sender needs. */
    public static boolean canMail(RealmModel realm) {
        String host = realm.getSmtpConfig() == null ? null : realm.getSmtpConfig().get("host");
        return host != null && !host.isBlank();
    }

    /**
     * @param baseUri Keycloak's base URL, for the account console link
     * @param dryRun  only find who is due; send and record nothing
     */
    public static Result run(KeycloakSession session, RealmModel realm, URI baseUri, boolean dryRun) {
        GroupTotpConfig config = StepConfigs.ofBrowserFlow(realm);
        if (config.reminderDays().isEmpty()) {
            return new Result(0, 0, List.of());
        }
        Instant now = LoginRecord.now();
        // Who may be due, read completely before any user is locked: the report's rows, nothing stored yet counted.
        List<String> candidates = RolloutReport.of(session, realm)
                .rows(Optional.of(RolloutReport.Status.GRACE), Optional.empty(), 0, Optional.empty())
                .filter(row -> row.status().deadline().isPresent())
                .filter(row -> ReminderSchedule.due(config.reminderDays(), row.status().daysLeft(), Set.of()).isPresent())
                .map(RolloutReport.Row::id)
                .toList();
        int sent = 0;
        int skipped = 0;
        int failuresInARow = 0;
        List<Recipient> due = new ArrayList<>();
        for (String userId : candidates) {
            if (failuresInARow >= MAX_FAILURES_IN_A_ROW) {
                skipped++;
                continue;
            }
            ExecutionResult<Optional<Due>> claimed = UserLock.run(session, realm.getId(), userId, "reminder", LOCK_SECONDS,
                    (txSession, txRealm, user) -> claim(config, user, now, dryRun));
            if (!claimed.isExecuted() || claimed.getResult().isEmpty()) {
                continue; // another node is reminding this user right now, or nothing is due after all
            }
            Due reminder = claimed.getResult().get();
            if (reminder.skipReason().isPresent()) {
                LOG.debugf("No reminder for user %s of realm %s: %s", userId, realm.getName(), reminder.skipReason().get());
                skipped++;
                continue;
            }
            if (dryRun) {
                due.add(reminder.recipient());
                continue;
            }
            Optional<String> failure = ReminderMail.send(session.getKeycloakSessionFactory(), realm.getId(), userId,
                    reminder.recipient().deadline(), reminder.daysLeft(), baseUri);
            if (failure.isEmpty()) {
                LOG.debugf("Reminder (%d days) sent to user %s of realm %s", reminder.recipient().reminderDay(), userId, realm.getName());
                sent++;
                failuresInARow = 0;
                continue;
            }
            LOG.warnf("The reminder e-mail to user %s of realm %s could not be sent (%s); the next run tries again",
                    userId, realm.getName(), failure.get());
            UserLock.run(session, realm.getId(), userId, "reminder", LOCK_SECONDS, (txSession, txRealm, user) -> {
                if (user != null) {
                    ReminderRecord.retract(user, reminder.recipient().deadline(), reminder.recipient().reminderDay());
                }
                return null;
            });
            skipped++;
            failuresInARow++;
        }
        return new Result(sent, skipped, due);
    }

    /**
     * Under the user's lock, from what is stored now (another node may have sent it a moment ago, the user may have
     * enrolled): the reminder due, recorded as sent unless this is a dry run or it cannot be sent.
     */
    private static Optional<Due> claim(GroupTotpConfig config, UserModel user, Instant now, boolean dryRun) {
        if (user == null || SecondFactors.has(user)) {
            return Optional.empty();
        }
        EnrolmentStatus status = EnrolmentStatus.of(config, false, GraceStore.read(user), now);
        if (status.overdue() || status.deadline().isEmpty()) {
            return Optional.empty();
        }
        Instant deadline = status.deadline().get();
        Optional<Integer> day = ReminderSchedule.due(config.reminderDays(), status.daysLeft(), ReminderRecord.sentFor(user, deadline));
        if (day.isEmpty()) {
            return Optional.empty();
        }
        Recipient recipient = new Recipient(user.getId(), user.getUsername(), deadline, day.get());
        if (!user.isEnabled()) {
            return Optional.of(new Due(recipient, status.daysLeft(), Optional.of("disabled")));
        }
        if (user.getEmail() == null || user.getEmail().isBlank()) {
            return Optional.of(new Due(recipient, status.daysLeft(), Optional.of("no e-mail address")));
        }
        if (!dryRun) {
            ReminderRecord.add(user, deadline, day.get());
        }
        return Optional.of(new Due(recipient, status.daysLeft(), Optional.empty()));
    }
}

package io.github.grouptotp.keycloak.reset;

import java.time.Instant;
import java.util.List;
import java.util.Optional;

import org.keycloak.events.Details;
import org.keycloak.events.EventBuilder;
import org.keycloak.events.EventType;
import org.keycloak.models.KeycloakSession;
import org.keycloak.models.UserModel;

import io.github.grouptotp.keycloak.RequiredActions;
import io.github.grouptotp.keycloak.credentials.ExtensionRecords;

/**
 * The rules of a reset an admin assigned, for every route: whether one is pending (the required action
 * {@value #ACTION_ID} on the user), whether its one-time pass is asked (whenever one was issued, whatever the running
 * flow's settings), which reset a login that gave the pass is bound to (a newer reset voids it), and when it is done
 * (the new factor is stored: the action and the pass go together, in the same transaction).
 */
public final class PendingReset {

    /** The required action of a reset: assigned by the admin resource, or by hand in the admin console. */
    public static final String ACTION_ID = RequiredActions.RESET;
    /** The id of a reset assigned by hand, with no pass ever issued. */
    static final String ASSIGNED_BY_HAND = "assigned-by-hand";

    /** The state of the reset's one-time pass. */
    public enum Pass {
        /** Assigned by hand: no pass was issued, the password alone goes on (logged). */
        NOT_ISSUED,
        VALID,
        /** Expired, or a record nobody could have written: ask the help desk for a new reset. */
        EXPIRED
    }

    private final String id;
    private final Pass pass;
    private final OneTimePass record;

    private PendingReset(String id, Pass pass, OneTimePass record) {
        this.id = id;
        this.pass = pass;
        this.record = record;
    }

    /** The reset pending for the user, if an admin assigned one. */
    public static Optional<PendingReset> of(UserModel user, Instant now) {
        if (user.getRequiredActionsStream().noneMatch(ACTION_ID::equals)) {
            return Optional.empty();
        }
        List<OneTimePass> passes = ExtensionRecords.read(user, OneTimePass.TYPE);
        if (passes.isEmpty()) {
            return Optional.of(new PendingReset(ASSIGNED_BY_HAND, Pass.NOT_ISSUED, null));
        }
        OneTimePass newest = passes.get(0);
        // Only one is ever stored (a new reset replaces it); two would be a record nobody wrote: fail closed.
        Pass state = passes.size() == 1 && newest.validAt(now) ? Pass.VALID : Pass.EXPIRED;
        return Optional.of(new PendingReset(newest.id() == null ? "unreadable" : newest.id(), state, newest));
    }

    /** Which reset this is: a login that gave its pass is bound to it, and a newer reset has another id. */
    public String id() {
        return id;
    }

    public Pass pass() {
        return pass;
    }

    /** Whether {@code typed} is this reset's valid pass. */
    public boolean passMatches(KeycloakSession session, String typed, Instant now) {
        return pass == Pass.VALID && record.validAt(now) && record.matches(session, typed);
    }

    /** Whether the reset pending for the user now is still the one with this id. */
    public static boolean stillPending(UserModel user, String resetId, Instant now) {
        return of(user, now).map(reset -> reset.id().equals(resetId) && reset.pass() != Pass.EXPIRED).orElse(false);
    }

    /**
     * Assigns a reset to the user: the required action, and a new one-time pass valid for {@code passHours} (or none:
     * {@code resetPass=off}), replacing any earlier pass, which voids every login already past it.
     *
     * @return the pass as the help desk reads it, with its record, if one was issued
     */
    public static Optional<OneTimePass.Issued> assign(KeycloakSession session, UserModel user, boolean withPass, int passHours, Instant now) {
        user.addRequiredAction(ACTION_ID);
        ExtensionRecords.remove(user, OneTimePass.TYPE);
        if (!withPass) {
            return Optional.empty();
        }
        OneTimePass.Issued issued = OneTimePass.generate(session, now, passHours);
        ExtensionRecords.add(user, OneTimePass.TYPE, issued.record());
        return Optional.of(issued);
    }

    /** The reset is done (its new factor is stored): the action and the pass go, in the caller's transaction. */
    public static void complete(UserModel user) {
        user.removeRequiredAction(ACTION_ID);
        ExtensionRecords.remove(user, OneTimePass.TYPE);
    }

    /** The event Keycloak gives a completed required action, for a reset completed outside Keycloak's own handling. */
    public static void completedEvent(EventBuilder loginEvent, UserModel user) {
        loginEvent.clone().event(EventType.CUSTOM_REQUIRED_ACTION).user(user)
                .detail(Details.CUSTOM_REQUIRED_ACTION, ACTION_ID).success();
    }
}

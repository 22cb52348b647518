package io.github.grouptotp.policy;

import java.time.Instant;
import java.util.Optional;

/**
 * Where a required user stands in the rollout, for the admin report. Read-only: unlike a login, it never stamps
 * a grace start, so a user not seen since the rollout has no deadline yet (unless a fixed enforcement date).
 *
 * @param graceStart   the stored grace start, if usable
 * @param deadline     when enrolment is forced, if known
 * @param graceGranted an admin granted this user's deadline
 * @param daysLeft     days left before the deadline; 0 when enrolled or overdue
 * @param overdue      not enrolled, and enrolment is forced at the next login
 */
public record EnrolmentStatus(boolean enrolled, Optional<Instant> graceStart, Optional<Instant> deadline,
                              boolean graceGranted, long daysLeft, boolean overdue) {

    public static EnrolmentStatus of(GroupTotpConfig config, boolean enrolled, Optional<GraceRecord> stored, Instant now) {
        GracePeriod.Status grace = GracePeriod.evaluate(config, stored, now);
        boolean usable = stored.isPresent() && grace.problem().isEmpty();
        Optional<Instant> graceStart = usable ? Optional.of(stored.get().start()) : Optional.empty();
        boolean granted = usable && stored.get().until().isPresent();
        // Evaluating without a stored start pretends the grace starts now; the report must not invent that date.
        boolean notSeenYet = grace.startToStore().isPresent();
        Optional<Instant> deadline = notSeenYet && config.enforcementDate().isEmpty() ? Optional.empty() : grace.deadline();
        if (enrolled) {
            return new EnrolmentStatus(true, graceStart, deadline, granted, 0, false);
        }
        boolean overdue = grace.state() != GracePeriod.State.ACTIVE;
        long daysLeft = overdue ? 0 : grace.daysLeft(now);
        return new EnrolmentStatus(false, graceStart, deadline, granted, daysLeft, overdue);
    }
}

package io.github.grouptotp.policy;

import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * Which reminder a required, not yet enrolled user is due: the configured {@code reminderDays} are days before the
 * deadline. On a day with {@code daysLeft} days left, the reminder due is the nearest configured day not below it
 * (7 and 1 with 5 days left: the 7-day one, late; with 1 day left: the 1-day one), unless that one or a later one
 * was already sent for this deadline. So a run that was missed sends one reminder, not every one it missed, and no
 * reminder is ever sent twice or after a later one.
 */
public final class ReminderSchedule {

    private ReminderSchedule() {
    }

    /**
     * @param reminderDays days before the deadline, from the config; empty means no reminders
     * @param daysLeft     whole days left before the deadline, rounded up; 0 once it has passed
     * @param sent         the reminder days already sent for this deadline
     * @return the reminder day due now, if any
     */
    public static Optional<Integer> due(List<Integer> reminderDays, long daysLeft, Set<Integer> sent) {
        if (daysLeft <= 0) {
            return Optional.empty();
        }
        return reminderDays.stream()
                .filter(day -> day >= daysLeft)
                .min(Integer::compare)
                .filter(day -> sent.stream().noneMatch(done -> done <= day));
    }
}

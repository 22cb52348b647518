package io.github.grouptotp.keycloak.rollout;

import java.util.List;
import java.util.Map;

/**
 * Where a realm stands in the rollout, as {@code GET /admin/realms/{realm}/group-totp/summary} answers it: each
 * component is a key of the JSON answer, and the names and shapes are a contract with admins' scripts and with the
 * metrics, which are its counts.
 *
 * @param required         users the browser flow's step requires
 * @param enrolled         of them, those with a second factor that meets the policy for them
 * @param inGrace          of them, not enrolled and not forced yet (users not seen since the rollout included)
 * @param overdue          of them, not enrolled and forced at the next login
 * @param reminded         of them, not enrolled, who got a reminder e-mail for their current deadline
 * @param optional         users the step does not require and does not exempt
 * @param exempt           users the step exempts
 * @param factors          required users who hold each second factor ({@code otp}, {@code webauthn}, {@code passkey}),
 *                         whether the settings accept it or not; a user with two counts under both
 * @param nearestDeadlines the five nearest deadline dates of users in grace, nearest first
 * @param groups           one entry per configured required group, then per phishing-resistant group, in the
 *                         configured order
 * @param problems         the step's configuration problems: unusable values, groups that do not exist
 */
public record RolloutSummary(long required, long enrolled, long inGrace, long overdue, long reminded, long optional,
                             long exempt, Map<String, Long> factors, List<Deadline> nearestDeadlines, List<Group> groups, List<String> problems) {

    /** How many users in grace have their deadline on a date ({@code yyyy-MM-dd}, UTC). */
    public record Deadline(String date, long users) {
    }

    /**
     * @param path                 the configured path
     * @param exists               whether a group has that path
     * @param phishingResistant    whether it is a phishing-resistant group (only a security key or passkey counts)
     * @param required             required users who are members of the group or a subgroup
     * @param enrolled             of them, those with a second factor that meets the policy for them
     * @param phishingResistantGap of them, those without an accepted security key or passkey: who still has to get one
     *                             (for a phishing-resistant group, or before making the group one)
     */
    public record Group(String path, boolean exists, boolean phishingResistant, long required, long enrolled,
                        long phishingResistantGap) {
    }
}

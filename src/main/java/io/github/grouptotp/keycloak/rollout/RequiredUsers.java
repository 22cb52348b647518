package io.github.grouptotp.keycloak.rollout;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

import org.keycloak.models.RealmModel;

import io.github.grouptotp.policy.GroupTotpConfig;
import io.github.grouptotp.policy.GroupTotpPolicy;

/**
 * Who the browser flow's step requires, as conditions of one query over the realm's users: the named mirror of
 * {@link GroupTotpPolicy}, which decides one user at a login from that user's memberships, for the summary and the
 * report, which read every user at once. A change to one rule is a change to both; {@code RequiredUsersMirrorIT}
 * runs one table of memberships through the policy and through this query.
 *
 * <p>Which policy rule each clause mirrors:
 * <ul>
 *   <li><b>subgroups count</b>: every configured path is resolved to its group and all its subgroups
 *       ({@link GroupSubtrees}), as the policy's lookup answers "member" for a member of a subgroup;</li>
 *   <li><b>a member of a required or phishing-resistant group is required</b>: a member of their subtrees;</li>
 *   <li><b>a missing required group makes everyone outside the optional groups required</b> (fail closed, so that a
 *       renamed {@code /staff} does not switch 2FA off): when a configured required path names no group, also
 *       everyone who is not a member of an optional group that exists;</li>
 *   <li><b>exempt wins</b>: not a member of an exempt group that exists, whatever the two clauses above say;</li>
 *   <li><b>everyone else is optional</b>: not selected.</li>
 * </ul>
 * Not the policy's: service accounts are never counted (they never log in through the browser flow), and group
 * memberships that a user federation keeps outside Keycloak's database are not seen.
 */
final class RequiredUsers {

    private final GroupSubtrees.Resolved required;
    private final GroupSubtrees.Resolved optional;
    private final GroupSubtrees.Resolved exempt;

    RequiredUsers(GroupSubtrees groups, GroupTotpConfig config) {
        // Subgroups count: each path stands for its whole subtree.
        // A phishing-resistant group requires its members as a required group does (what satisfies them differs).
        this.required = groups.resolve(java.util.stream.Stream.concat(config.requiredGroups().stream(),
                config.phishingResistantGroups().stream()).distinct().toList());
        this.optional = groups.resolve(config.optionalGroups());
        this.exempt = groups.resolve(config.exemptGroups());
    }

    /** The users the step requires. */
    UserQuery required(RealmModel realm) {
        List<String> requiredBy = new ArrayList<>();
        Map<String, Set<String>> named = new HashMap<>();
        if (!required.ids().isEmpty()) {
            // A member of a required group is required.
            requiredBy.add(UserQuery.memberOf("required"));
            named.put("required", required.ids());
        }
        // A missing required group makes everyone outside the optional groups required.
        if (!required.unknownPaths().isEmpty() && optional.ids().isEmpty()) {
            requiredBy.add("1 = 1");
        } else if (!required.unknownPaths().isEmpty()) {
            requiredBy.add("not " + UserQuery.memberOf("optional"));
            named.put("optional", optional.ids());
        }
        UserQuery query = UserQuery.usersOf(realm)
                .and(requiredBy.isEmpty() ? UserQuery.NOBODY : "(" + String.join(" or ", requiredBy) + ")", named);
        if (!exempt.ids().isEmpty()) {
            // Exempt wins.
            query.and("not " + UserQuery.memberOf("exempt"), Map.of("exempt", exempt.ids()));
        }
        return query;
    }

    /** The users the step exempts: members of an exempt group, whatever their other groups. */
    UserQuery exempt(RealmModel realm) {
        return UserQuery.usersOf(realm).memberOf("exempt", exempt.ids());
    }

    /** The ids of the required groups that exist and their subgroups. */
    Set<String> requiredGroupIds() {
        return required.ids();
    }

    /** Which configured groups do not exist, and what that does, if any. */
    Optional<String> unknownGroups() {
        List<String> unknown = new ArrayList<>(required.unknownPaths());
        unknown.addAll(optional.unknownPaths());
        unknown.addAll(exempt.unknownPaths());
        if (unknown.isEmpty()) {
            return Optional.empty();
        }
        return Optional.of("groups that do not exist: " + unknown + (required.unknownPaths().isEmpty() ? ""
                : " (a missing required group makes everyone outside the optional and exempt groups required)"));
    }
}

package io.github.grouptotp.keycloak.rollout;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

import jakarta.persistence.EntityManager;

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
 *   <li><b>everyone else is optional</b>: not selected;</li>
 *   <li><b>only a key or passkey satisfies a member of a phishing-resistant group</b> ({@link #phishingResistant}),
 *       a missing one failing closed as a missing required group does; <b>enrolled</b> ({@link #enrolled}) is
 *       {@link GroupTotpConfig#satisfying} as a condition.</li>
 * </ul>
 * Not the policy's: service accounts are never counted (they never log in through the browser flow), and group
 * memberships that a user federation keeps outside Keycloak's database are not seen.
 */
final class RequiredUsers {

    private final GroupSubtrees.Resolved required;
    private final GroupSubtrees.Resolved optional;
    private final GroupSubtrees.Resolved exempt;
    private final GroupSubtrees.Resolved phishingResistant;
    private final GroupTotpConfig config;

    RequiredUsers(GroupSubtrees groups, GroupTotpConfig config) {
        // Subgroups count: each path stands for its whole subtree.
        // A phishing-resistant group requires its members as a required group does (what satisfies them differs).
        this.required = groups.resolve(java.util.stream.Stream.concat(config.requiredGroups().stream(),
                config.phishingResistantGroups().stream()).distinct().toList());
        this.optional = groups.resolve(config.optionalGroups());
        this.exempt = groups.resolve(config.exemptGroups());
        this.phishingResistant = groups.resolve(config.phishingResistantGroups());
        this.config = config;
    }

    /** The users the step requires. */
    UserQuery required(RealmModel realm) {
        UserQuery.Condition requiredBy = membersOrFailClosed(required, "required");
        UserQuery query = UserQuery.usersOf(realm).and(requiredBy);
        if (!exempt.ids().isEmpty()) {
            // Exempt wins.
            query.and("not " + UserQuery.memberOf("exempt"), Map.of("exempt", exempt.ids()));
        }
        return query;
    }

    /**
     * Of the required users, those whom only a security key or a passkey satisfies: members of a phishing-resistant
     * group, and when such a group does not exist everyone outside the optional groups (fail closed, as the policy).
     */
    UserQuery.Condition phishingResistant() {
        return membersOrFailClosed(phishingResistant, "phishingResistant");
    }

    /**
     * Members of these groups; and when one of them does not exist, everyone outside the optional groups, so that a
     * renamed group does not switch its rule off (the policy's fail-closed rule). None: {@link UserQuery.Condition#NONE}.
     */
    private UserQuery.Condition membersOrFailClosed(GroupSubtrees.Resolved groups, String name) {
        List<String> by = new ArrayList<>();
        Map<String, Set<String>> named = new HashMap<>();
        if (!groups.ids().isEmpty()) {
            by.add(UserQuery.memberOf(name));
            named.put(name, groups.ids());
        }
        if (!groups.unknownPaths().isEmpty() && optional.ids().isEmpty()) {
            by.add("1 = 1");
        } else if (!groups.unknownPaths().isEmpty()) {
            by.add("not " + UserQuery.memberOf("optional"));
            named.put("optional", optional.ids());
        }
        return by.isEmpty() ? UserQuery.Condition.NONE : new UserQuery.Condition("(" + String.join(" or ", by) + ")", named);
    }

    /** Which of these users (ids of required users) are {@link #phishingResistant}; no query when nobody can be. */
    Set<String> phishingResistantAmong(RealmModel realm, EntityManager em, List<String> userIds) {
        UserQuery.Condition phishingResistant = phishingResistant();
        if (phishingResistant.none() || userIds.isEmpty()) {
            return Set.of();
        }
        return new HashSet<>(UserQuery.usersOf(realm).and("u.id in :ids", Map.of("ids", userIds)).and(phishingResistant)
                .select(em, "select u.id from UserEntity u", String.class).getResultList());
    }

    /**
     * Of the required users, those who hold a second factor that meets the policy for them ({@link
     * GroupTotpConfig#satisfying}): an accepted one, and for the {@link #phishingResistant} ones an accepted security
     * key or passkey.
     */
    UserQuery.Condition enrolled() {
        UserQuery.Condition phishingResistant = phishingResistant();
        Map<String, Object> named = new HashMap<>(phishingResistant.named());
        named.put("acceptedTypes", CredentialRows.types(config.satisfying(false)));
        String accepted = holdsOneOf("acceptedTypes");
        if (phishingResistant.none()) {
            return new UserQuery.Condition(accepted, named);
        }
        named.put("phishingResistantTypes", CredentialRows.types(config.satisfying(true)));
        return new UserQuery.Condition("((" + phishingResistant.not().jpql() + " and " + accepted + ") or ("
                + phishingResistant.jpql() + " and " + holdsOneOf("phishingResistantTypes") + "))", named);
    }

    private static String holdsOneOf(String types) {
        return "u.id in (select c.user.id from CredentialEntity c where c.type in :" + types + ")";
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

package io.github.grouptotp.keycloak.rollout;

import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.function.Predicate;
import java.util.stream.Stream;

import jakarta.persistence.EntityManager;

import org.keycloak.models.KeycloakSession;
import org.keycloak.models.RealmModel;

import io.github.grouptotp.policy.EnrolmentStatus;
import io.github.grouptotp.policy.SecondFactor;

/**
 * The {@link RolloutSummary} of a realm from a few queries that each read one kind of row in bulk: the required
 * users ({@link RequiredUsers}), the membership rows of the required groups (for the per-group counts), the realm's
 * credential rows of the types the rollout reads, the phishing-resistant members (when
 * there are phishing-resistant groups) and two counts. No query per user or per chunk of users.
 */
public final class SummaryQueries {

    private static final int NEAREST_DEADLINES = 5;
    private static final String COUNT = "select count(u) from UserEntity u";

    private SummaryQueries() {
    }

    public static RolloutSummary read(KeycloakSession session, RealmModel realm) {
        RolloutScope scope = RolloutScope.of(session, realm);
        EntityManager em = scope.em();
        Set<String> required = ids(scope.users().required(realm), em);
        UserQuery.Condition phishingResistantCondition = scope.users().phishingResistant();
        Set<String> phishingResistant = phishingResistantCondition.none() ? Set.of()
                : ids(scope.users().required(realm).and(phishingResistantCondition), em);
        CredentialRows rows = CredentialRows.ofRealm(em, realm);
        Set<String> enrolled = new HashSet<>();
        long inGrace = 0;
        long overdue = 0;
        long reminded = 0;
        Map<String, Long> factors = new LinkedHashMap<>();
        for (SecondFactor factor : SecondFactor.values()) {
            factors.put(factor.configName(), 0L);
        }
        TreeMap<LocalDate, Long> deadlines = new TreeMap<>();
        for (String id : required) {
            rows.factors(id).forEach(factor -> factors.merge(factor.configName(), 1L, Long::sum));
            EnrolmentStatus status = rows.status(scope.config(), id, phishingResistant.contains(id), scope.now());
            if (status.enrolled()) {
                enrolled.add(id);
                continue;
            }
            if (status.overdue()) {
                overdue++;
            } else {
                inGrace++;
                status.deadline().ifPresent(d -> deadlines.merge(LocalDate.ofInstant(d, ZoneOffset.UTC), 1L, Long::sum));
            }
            if (status.deadline().isPresent() && rows.reminded(id, status.deadline().get())) {
                reminded++;
            }
        }
        long users = UserQuery.usersOf(realm).select(em, COUNT, Long.class).getSingleResult();
        long exempt = scope.users().exempt(realm).select(em, COUNT, Long.class).getSingleResult();
        List<RolloutSummary.Deadline> nearest = deadlines.entrySet().stream().limit(NEAREST_DEADLINES)
                .map(e -> new RolloutSummary.Deadline(e.getKey().toString(), e.getValue())).toList();
        Predicate<String> withoutKey = id -> !SecondFactor.meets(rows.factors(id), scope.config().satisfying(true));
        return new RolloutSummary(required.size(), enrolled.size(), inGrace, overdue, reminded, users - required.size() - exempt,
                exempt, factors, nearest, groups(scope, required, enrolled::contains, withoutKey), scope.problems());
    }

    private static Set<String> ids(UserQuery users, EntityManager em) {
        return new HashSet<>(users.select(em, "select u.id from UserEntity u", String.class).getResultList());
    }

    /**
     * Per configured required group, then per phishing-resistant group not listed as required: whether it exists, and
     * its required members (subgroups count), those enrolled and those without a security key or passkey.
     */
    private static List<RolloutSummary.Group> groups(RolloutScope scope, Set<String> required, Predicate<String> enrolled,
                                                     Predicate<String> withoutKey) {
        Map<String, Set<String>> membership = memberships(scope.em(), scope.users().requiredGroupIds());
        List<String> phishingResistantPaths = scope.config().phishingResistantGroups();
        List<String> paths = Stream.concat(scope.config().requiredGroups().stream(), phishingResistantPaths.stream()).distinct().toList();
        List<RolloutSummary.Group> groups = new ArrayList<>();
        for (String path : paths) {
            Set<String> subtree = scope.groups().subtree(path).orElse(null);
            List<String> members = subtree == null ? List.of() : membership.entrySet().stream()
                    .filter(e -> required.contains(e.getKey()))
                    .filter(e -> e.getValue().stream().anyMatch(subtree::contains))
                    .map(Map.Entry::getKey)
                    .toList();
            groups.add(new RolloutSummary.Group(path, subtree != null, phishingResistantPaths.contains(path), members.size(),
                    members.stream().filter(enrolled).count(), members.stream().filter(withoutKey).count()));
        }
        return groups;
    }

    /** The members of these groups (by id), each with the ids of those groups they are in. */
    private static Map<String, Set<String>> memberships(EntityManager em, Set<String> groupIds) {
        Map<String, Set<String>> members = new HashMap<>();
        if (!groupIds.isEmpty()) {
            em.createQuery("select m.user.id, m.groupId from UserGroupMembershipEntity m where m.groupId in :groups", Object[].class)
                    .setParameter("groups", groupIds)
                    .getResultStream()
                    .forEach(r -> members.computeIfAbsent((String) r[0], id -> new HashSet<>()).add((String) r[1]));
        }
        return members;
    }
}

package io.github.grouptotp.keycloak.rollout;

import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

import jakarta.persistence.EntityManager;

import org.keycloak.models.KeycloakSession;
import org.keycloak.models.RealmModel;

import io.github.grouptotp.policy.EnrolmentStatus;

/**
 * The {@link RolloutSummary} of a realm from a few queries that each read one kind of row in bulk: the required
 * users ({@link RequiredUsers}), the membership rows of the required groups (for the per-group counts), the realm's
 * credential rows of the three types the rollout reads, and two counts. No query per user or per chunk of users.
 */
public final class SummaryQueries {

    private static final int NEAREST_DEADLINES = 5;
    private static final String COUNT = "select count(u) from UserEntity u";

    private SummaryQueries() {
    }

    public static RolloutSummary read(KeycloakSession session, RealmModel realm) {
        RolloutScope scope = RolloutScope.of(session, realm);
        EntityManager em = scope.em();
        Set<String> required = new HashSet<>(scope.users().required(realm)
                .select(em, "select u.id from UserEntity u", String.class).getResultList());
        CredentialRows rows = CredentialRows.ofRealm(em, realm);
        long enrolled = 0;
        long inGrace = 0;
        long overdue = 0;
        long reminded = 0;
        TreeMap<LocalDate, Long> deadlines = new TreeMap<>();
        for (String id : required) {
            EnrolmentStatus status = rows.status(scope.config(), id, scope.now());
            if (status.enrolled()) {
                enrolled++;
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
        return new RolloutSummary(required.size(), enrolled, inGrace, overdue, reminded, users - required.size() - exempt,
                exempt, nearest, groups(scope, required, rows), scope.problems());
    }

    /** Per configured required group: whether it exists, and its required and enrolled members (subgroups count). */
    private static List<RolloutSummary.Group> groups(RolloutScope scope, Set<String> required, CredentialRows rows) {
        Map<String, Set<String>> membership = memberships(scope.em(), scope.users().requiredGroupIds());
        List<RolloutSummary.Group> groups = new ArrayList<>();
        for (String path : scope.config().requiredGroups()) {
            Set<String> subtree = scope.groups().subtree(path).orElse(null);
            List<String> members = subtree == null ? List.of() : membership.entrySet().stream()
                    .filter(e -> required.contains(e.getKey()))
                    .filter(e -> e.getValue().stream().anyMatch(subtree::contains))
                    .map(Map.Entry::getKey)
                    .toList();
            groups.add(new RolloutSummary.Group(path, subtree != null, members.size(), members.stream().filter(rows::enrolled).count()));
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

package io.github.grouptotp.keycloak.rollout;

import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.function.Predicate;
import java.util.stream.Stream;

import jakarta.persistence.TypedQuery;

import org.keycloak.models.KeycloakSession;
import org.keycloak.models.RealmModel;

import io.github.grouptotp.keycloak.grace.GraceStore;
import io.github.grouptotp.policy.EnrolmentStatus;

/**
 * The required users of a realm ({@link RequiredUsers}) in username order, a page of them, optionally only those of a
 * status and of a group's subtree. Rows are read as a stream and never all held, so a report of any size is written
 * with a flat heap. Where the database can page (all users, enrolled, not enrolled), it does, and the rows of a
 * chunk are enriched with one query for their credentials. Whether a user who has not enrolled is in grace or
 * overdue depends on the grace record and the current settings, so those two filters read the not-enrolled users
 * with their grace records in one query (joined, no query per chunk) and page as the rows stream by.
 */
public final class RolloutReport {

    /** Report filters. */
    public enum Status {
        ENROLLED, NOT_ENROLLED, GRACE, OVERDUE;

        public static Optional<Status> of(String value) {
            for (Status status : values()) {
                if (status.name().equalsIgnoreCase(value)) {
                    return Optional.of(status);
                }
            }
            return Optional.empty();
        }
    }

    /** One required user of the report. */
    public record Row(String id, String username, EnrolmentStatus status) {
    }

    private static final int CHUNK = 500;
    /** Without a fetch size, PostgreSQL's driver reads a whole result into memory before the first row. */
    private static final String FETCH_SIZE = "org.hibernate.fetchSize";
    private static final String ENROLLED = "u.id in (select c.user.id from CredentialEntity c where c.type in :factorTypes)";

    private final RolloutScope scope;

    private RolloutReport(RolloutScope scope) {
        this.scope = scope;
    }

    public static RolloutReport of(KeycloakSession session, RealmModel realm) {
        return new RolloutReport(RolloutScope.of(session, realm));
    }

    /** The ids of the group at {@code path} and its subgroups, for the group filter; empty if there is no such group. */
    public Optional<Set<String>> subtree(String path) {
        return scope.groups().subtree(path);
    }

    /**
     * @param inGroup only members of these groups (a {@link #subtree})
     * @param max     at most this many rows; all of them if empty
     */
    public Stream<Row> rows(Optional<Status> status, Optional<Set<String>> inGroup, int first, Optional<Integer> max) {
        UserQuery users = scope.users().required(scope.realm());
        inGroup.ifPresent(groups -> users.and(UserQuery.memberOf("inGroup"), Map.of("inGroup", groups)));
        status.ifPresent(s -> users.and(s == Status.ENROLLED ? ENROLLED : "not " + ENROLLED, Map.of("factorTypes", CredentialRows.FACTOR_TYPES)));
        if (status.isPresent() && (status.get() == Status.GRACE || status.get() == Status.OVERDUE)) {
            TypedQuery<Object[]> query = users.selectInUsernameOrder(scope.em(), "select u.id, u.username, g.credentialData "
                    + "from UserEntity u left join CredentialEntity g on g.user = u and g.type = :grace", Object[].class)
                    .setParameter("grace", GraceStore.CREDENTIAL_TYPE)
                    .setHint(FETCH_SIZE, CHUNK);
            Predicate<Row> wanted = status.get() == Status.OVERDUE ? r -> r.status().overdue() : r -> !r.status().overdue();
            Stream<Row> rows = notEnrolledWithGrace(query.getResultStream()).filter(wanted).skip(first);
            return max.isPresent() ? rows.limit(max.get()) : rows;
        }
        TypedQuery<Object[]> query = users.selectInUsernameOrder(scope.em(), "select u.id, u.username from UserEntity u", Object[].class)
                .setHint(FETCH_SIZE, CHUNK)
                .setFirstResult(first);
        max.ifPresent(query::setMaxResults);
        return Adjacent.groups(query.getResultStream(), (chunk, next) -> chunk.size() < CHUNK).flatMap(this::enrich);
    }

    /**
     * Rows of (id, username, grace data) in username order become one row per user: a user with two grace records
     * (two logins stamping at once) comes as two adjacent rows, of which the one a login counts is taken.
     */
    private Stream<Row> notEnrolledWithGrace(Stream<Object[]> joined) {
        return Adjacent.groups(joined, (user, next) -> user.get(0)[0].equals(next[0])).map(user -> {
            EnrolmentStatus status = EnrolmentStatus.of(scope.config(), false,
                    CredentialRows.strictest(user.stream().map(r -> (String) r[2]).filter(Objects::nonNull)), scope.now());
            return new Row((String) user.get(0)[0], (String) user.get(0)[1], status);
        });
    }

    /** Enrolment and grace records of a chunk of users, one query for the whole chunk. */
    private Stream<Row> enrich(List<Object[]> chunk) {
        CredentialRows rows = CredentialRows.ofUsers(scope.em(), chunk.stream().map(r -> (String) r[0]).toList());
        return chunk.stream().map(r -> new Row((String) r[0], (String) r[1], rows.status(scope.config(), (String) r[0], scope.now())));
    }
}

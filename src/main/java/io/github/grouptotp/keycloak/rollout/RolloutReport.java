package io.github.grouptotp.keycloak.rollout;

import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Predicate;
import java.util.stream.Stream;

import jakarta.persistence.TypedQuery;

import org.keycloak.models.KeycloakSession;
import org.keycloak.models.RealmModel;

import io.github.grouptotp.policy.EnrolmentStatus;
import io.github.grouptotp.policy.SecondFactor;

/**
 * The required users of a realm ({@link RequiredUsers}) in username order, a page of them, optionally only those of a
 * status and of a group's subtree. Rows are read as a stream and never all held, so a report of any size is written
 * with a flat heap. Where the database can page (all users, enrolled, not enrolled), it does, and the rows of a
 * chunk are enriched with one query for their credentials. Whether a user who has not enrolled is in grace or
 * overdue depends on the grace record and the current settings, so those two filters read the not-enrolled users
 * with their credential rows in one query (joined) and page as the rows stream by. Each chunk of rows written asks
 * once which of its users are members of a phishing-resistant group, and not at all when no such group is set.
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

    /**
     * One required user of the report.
     *
     * @param factors                   the second factors the user holds, whether the settings accept them or not
     * @param phishingResistantRequired only a security key or a passkey meets the policy for the user
     * @param phishingResistant         the user holds an accepted security key or passkey: meets that requirement
     */
    public record Row(String id, String username, EnrolmentStatus status, Set<SecondFactor> factors,
                      boolean phishingResistantRequired, boolean phishingResistant) {
    }

    /** A user read, with the credential rows that say where the user stands, before the policy is applied. */
    private record Read(String id, String username, CredentialRows credentials) {
    }

    private static final int CHUNK = 500;
    /** Without a fetch size, PostgreSQL's driver reads a whole result into memory before the first row. */
    private static final String FETCH_SIZE = "org.hibernate.fetchSize";

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
        UserQuery.Condition enrolled = scope.users().enrolled();
        status.ifPresent(s -> users.and(s == Status.ENROLLED ? enrolled : enrolled.not()));
        if (status.isPresent() && (status.get() == Status.GRACE || status.get() == Status.OVERDUE)) {
            TypedQuery<Object[]> query = users.selectInUsernameOrder(scope.em(), "select u.id, c.type, c.credentialData, u.username "
                    + "from UserEntity u left join CredentialEntity c on c.user = u and c.type in :types", Object[].class)
                    .setParameter("types", CredentialRows.TYPES)
                    .setHint(FETCH_SIZE, CHUNK);
            // Not enrolled (the query's condition): whether in grace or overdue follows from the grace record alone.
            Predicate<Read> wanted = read -> EnrolmentStatus.of(scope.config(), false, read.credentials().grace(read.id()), scope.now())
                    .overdue() == (status.get() == Status.OVERDUE);
            Stream<Read> read = withCredentials(query.getResultStream()).filter(wanted).skip(first);
            return chunks(max.isPresent() ? read.limit(max.get()) : read).flatMap(this::rows);
        }
        TypedQuery<Object[]> query = users.selectInUsernameOrder(scope.em(), "select u.id, u.username from UserEntity u", Object[].class)
                .setHint(FETCH_SIZE, CHUNK)
                .setFirstResult(first);
        max.ifPresent(query::setMaxResults);
        return chunks(query.getResultStream()).map(this::withCredentials).flatMap(this::rows);
    }

    private static <T> Stream<List<T>> chunks(Stream<T> rows) {
        return Adjacent.groups(rows, (chunk, next) -> chunk.size() < CHUNK);
    }

    /**
     * Rows of (id, credential type, credential data, username) in username order, a user's credential rows adjacent
     * (none: one row without a credential), become one read user each.
     */
    private static Stream<Read> withCredentials(Stream<Object[]> joined) {
        return Adjacent.groups(joined, (user, next) -> user.get(0)[0].equals(next[0]))
                .map(user -> new Read((String) user.get(0)[0], (String) user.get(0)[3], CredentialRows.of(user.stream())));
    }

    /** The credential rows of a chunk of (id, username), one query for the whole chunk. */
    private List<Read> withCredentials(List<Object[]> chunk) {
        CredentialRows credentials = CredentialRows.ofUsers(scope.em(), chunk.stream().map(r -> (String) r[0]).toList());
        return chunk.stream().map(r -> new Read((String) r[0], (String) r[1], credentials)).toList();
    }

    /** A chunk of read users under the policy: one query for which of them are phishing-resistant members, if any can be. */
    private Stream<Row> rows(List<Read> chunk) {
        Set<String> phishingResistant = scope.users().phishingResistantAmong(scope.realm(), scope.em(), chunk.stream().map(Read::id).toList());
        return chunk.stream().map(read -> {
            boolean required = phishingResistant.contains(read.id());
            Set<SecondFactor> factors = read.credentials().factors(read.id());
            return new Row(read.id(), read.username(), read.credentials().status(scope.config(), read.id(), required, scope.now()),
                    factors, required, SecondFactor.meets(factors, scope.config().satisfying(true)));
        });
    }
}

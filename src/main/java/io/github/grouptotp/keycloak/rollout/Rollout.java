package io.github.grouptotp.keycloak.rollout;

import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.Spliterator;
import java.util.Spliterators;
import java.util.TreeMap;
import java.util.function.Predicate;
import java.util.stream.Stream;
import java.util.stream.StreamSupport;

import jakarta.persistence.EntityManager;
import jakarta.persistence.TypedQuery;

import org.keycloak.connections.jpa.JpaConnectionProvider;
import org.keycloak.models.GroupModel;
import org.keycloak.models.KeycloakSession;
import org.keycloak.models.RealmModel;
import org.keycloak.models.credential.OTPCredentialModel;
import org.keycloak.models.utils.KeycloakModelUtils;

import io.github.grouptotp.keycloak.LoginRecord;
import io.github.grouptotp.keycloak.StepConfigs;
import io.github.grouptotp.keycloak.grace.GraceStore;
import io.github.grouptotp.keycloak.grace.ReminderRecord;
import io.github.grouptotp.policy.EnrolmentStatus;
import io.github.grouptotp.policy.GraceRecord;
import io.github.grouptotp.policy.GroupTotpConfig;

/**
 * Where a realm stands in the rollout, read in bulk from Keycloak's own tables (users, group memberships,
 * credentials) instead of user by user: the users the browser flow's step requires are found through membership of
 * the required groups and their subgroups, as the policy decides ({@code GroupTotpPolicy}: exempt wins, a missing
 * required group makes everyone outside the optional groups required), and enrolment and grace records are read for
 * many users per query. Group memberships that a user federation (e.g. an LDAP group mapper) keeps outside Keycloak's
 * database are not seen here.
 */
public final class Rollout {

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

    /** The configured group paths, resolved to the ids of each group and its subgroups. */
    record Groups(Set<String> ids, List<String> unknownPaths) {
    }

    private static final int CHUNK = 500;
    /** Without a fetch size, PostgreSQL's driver reads a whole result into memory before the first row. */
    private static final String FETCH_SIZE = "org.hibernate.fetchSize";
    /*
     * Membership as an uncorrelated subquery: the database reads the members of the groups once (H2 and PostgreSQL
     * hash them) instead of probing the membership table once per user, which a correlated EXISTS does on H2.
     */
    private static final String MEMBER_OF = "u.id in (select m.user.id from UserGroupMembershipEntity m where m.groupId in :%s)";
    private static final String ENROLLED = "u.id in (select c.user.id from CredentialEntity c where c.type = :otp)";

    private final KeycloakSession session;
    private final RealmModel realm;
    private final GroupTotpConfig config;
    private final EntityManager em;
    private final Instant now;
    private final Groups required;
    private final Groups optional;
    private final Groups exempt;

    public Rollout(KeycloakSession session, RealmModel realm) {
        this.session = session;
        this.realm = realm;
        this.config = StepConfigs.ofBrowserFlow(realm);
        this.em = session.getProvider(JpaConnectionProvider.class).getEntityManager();
        this.now = LoginRecord.now();
        this.required = resolve(config.requiredGroups());
        this.optional = resolve(config.optionalGroups());
        this.exempt = resolve(config.exemptGroups());
    }

    public GroupTotpConfig config() {
        return config;
    }

    /** The ids of the group at {@code path} and its subgroups, if it exists. */
    public Optional<Set<String>> subtree(String path) {
        GroupModel group = KeycloakModelUtils.findGroupByPath(session, realm, path);
        if (group == null) {
            return Optional.empty();
        }
        Set<String> ids = new HashSet<>();
        collect(group, ids, 0);
        return Optional.of(ids);
    }

    private Groups resolve(List<String> paths) {
        Set<String> ids = new HashSet<>();
        List<String> unknown = new ArrayList<>();
        for (String path : paths) {
            subtree(path).ifPresentOrElse(ids::addAll, () -> unknown.add(path));
        }
        return new Groups(ids, unknown);
    }

    /** Group trees are a few levels deep; the bound keeps a malformed tree from recursing forever. */
    private static void collect(GroupModel group, Set<String> ids, int depth) {
        if (depth > 50 || !ids.add(group.getId())) {
            return;
        }
        group.getSubGroupsStream().forEach(child -> collect(child, ids, depth + 1));
    }

    /** Problems an admin should fix: unusable settings and groups that do not exist. */
    public List<String> problems() {
        List<String> problems = new ArrayList<>(config.problems());
        List<String> unknown = new ArrayList<>(required.unknownPaths());
        unknown.addAll(optional.unknownPaths());
        unknown.addAll(exempt.unknownPaths());
        if (!unknown.isEmpty()) {
            problems.add("groups that do not exist: " + unknown
                    + (required.unknownPaths().isEmpty() ? "" : " (a missing required group makes everyone outside the optional and exempt groups required)"));
        }
        return problems;
    }

    // ------------------------------------------------------------------ the summary

    /**
     * The summary's counts, from a few queries that each read one kind of row in bulk: who is required from the
     * membership rows of the configured groups (read by group), enrolment, grace and reminder records from the
     * realm's credential rows of those three types. No query per user or per chunk of users.
     */
    public Map<String, Object> summary() {
        Map<String, Set<String>> requiredMembership = memberships(required.ids());
        Set<String> exemptUsers = memberships(exempt.ids()).keySet();
        Set<String> serviceAccounts = new HashSet<>(em.createQuery("select u.id from UserEntity u "
                        + "where u.realmId = :realm and u.serviceAccountClientLink is not null", String.class)
                .setParameter("realm", realm.getId()).getResultList());
        Set<String> requiredUsers = new HashSet<>(requiredMembership.keySet());
        if (!required.unknownPaths().isEmpty()) {
            // Fail closed, as the step does: everyone outside the optional groups is required.
            Set<String> optionalUsers = memberships(optional.ids()).keySet();
            em.createQuery("select u.id from UserEntity u where u.realmId = :realm", String.class)
                    .setParameter("realm", realm.getId()).getResultStream()
                    .filter(id -> !optionalUsers.contains(id))
                    .forEach(requiredUsers::add);
        }
        requiredUsers.removeAll(exemptUsers);
        requiredUsers.removeAll(serviceAccounts);

        int enrolled = 0;
        int inGrace = 0;
        int overdue = 0;
        int reminded = 0;
        Set<String> enrolledUsers = new HashSet<>();
        TreeMap<LocalDate, Integer> deadlines = new TreeMap<>();
        Records records = records(em.createQuery("select c.user.id, c.type, c.credentialData from CredentialEntity c join c.user u "
                        + "where u.realmId = :realm and c.type in :types", Object[].class)
                .setParameter("realm", realm.getId()));
        for (String id : requiredUsers) {
            if (records.enrolled().contains(id)) {
                enrolled++;
                enrolledUsers.add(id);
                continue;
            }
            EnrolmentStatus status = EnrolmentStatus.of(config, false, Optional.ofNullable(records.grace().get(id)), now);
            if (status.overdue()) {
                overdue++;
            } else {
                inGrace++;
                status.deadline().ifPresent(d -> deadlines.merge(LocalDate.ofInstant(d, ZoneOffset.UTC), 1, Integer::sum));
            }
            if (status.deadline().isPresent() && records.reminders().containsKey(id)
                    && !ReminderRecord.sentFor(records.reminders().get(id), status.deadline().get()).isEmpty()) {
                reminded++;
            }
        }
        long total = em.createQuery("select count(u) from UserEntity u where u.realmId = :realm and u.serviceAccountClientLink is null",
                Long.class).setParameter("realm", realm.getId()).getSingleResult();
        long exemptCount = exemptUsers.stream().filter(id -> !serviceAccounts.contains(id)).count();

        Map<String, Object> summary = new LinkedHashMap<>();
        summary.put("required", requiredUsers.size());
        summary.put("enrolled", enrolled);
        summary.put("inGrace", inGrace);
        summary.put("overdue", overdue);
        summary.put("reminded", reminded);
        summary.put("optional", total - requiredUsers.size() - exemptCount);
        summary.put("exempt", exemptCount);
        summary.put("nearestDeadlines", deadlines.entrySet().stream().limit(5)
                .map(e -> Map.of("date", e.getKey().toString(), "users", e.getValue())).toList());
        List<Map<String, Object>> groups = new ArrayList<>();
        for (String path : config.requiredGroups()) {
            Map<String, Object> group = new LinkedHashMap<>();
            group.put("path", path);
            Optional<Set<String>> subtree = subtree(path);
            group.put("exists", subtree.isPresent());
            Set<String> groupIds = subtree.orElse(Set.of());
            List<String> members = requiredMembership.entrySet().stream()
                    .filter(e -> requiredUsers.contains(e.getKey()))
                    .filter(e -> e.getValue().stream().anyMatch(groupIds::contains))
                    .map(Map.Entry::getKey)
                    .toList();
            group.put("required", members.size());
            group.put("enrolled", members.stream().filter(enrolledUsers::contains).count());
            groups.add(group);
        }
        summary.put("groups", groups);
        summary.put("problems", problems());
        return summary;
    }

    /** The members of these groups (by id), each with the ids of those groups they are in. */
    private Map<String, Set<String>> memberships(Set<String> groupIds) {
        Map<String, Set<String>> members = new HashMap<>();
        if (!groupIds.isEmpty()) {
            em.createQuery("select m.user.id, m.groupId from UserGroupMembershipEntity m where m.groupId in :groups", Object[].class)
                    .setParameter("groups", groupIds)
                    .getResultStream()
                    .forEach(r -> members.computeIfAbsent((String) r[0], id -> new HashSet<>()).add((String) r[1]));
        }
        return members;
    }

    /** What the credential rows of some users say: who has an authenticator, their grace records and reminder records. */
    private record Records(Set<String> enrolled, Map<String, GraceRecord> grace, Map<String, String> reminders) {
    }

    /** The credential rows of the three types the rollout reads, of a chunk of users (one query). */
    private Records records(List<String> userIds) {
        return records(em.createQuery("select c.user.id, c.type, c.credentialData from CredentialEntity c "
                + "where c.user.id in :ids and c.type in :types", Object[].class).setParameter("ids", userIds));
    }

    /** What a query for (user id, type, data) of credential rows says, given the parameter {@code types}. */
    private static Records records(TypedQuery<Object[]> query) {
        Set<String> enrolled = new HashSet<>();
        Map<String, GraceRecord> grace = new HashMap<>();
        Map<String, String> reminders = new HashMap<>();
        query.setParameter("types", List.of(OTPCredentialModel.TYPE, GraceStore.CREDENTIAL_TYPE, ReminderRecord.CREDENTIAL_TYPE))
                .getResultStream()
                .forEach(r -> {
                    String id = (String) r[0];
                    String type = (String) r[1];
                    if (OTPCredentialModel.TYPE.equals(type)) {
                        enrolled.add(id);
                    } else if (GraceStore.CREDENTIAL_TYPE.equals(type)) {
                        grace.merge(id, GraceStore.parse((String) r[2]), Rollout::stricter);
                    } else {
                        reminders.put(id, (String) r[2]);
                    }
                });
        return new Records(enrolled, grace, reminders);
    }


    /** Two records for one user (two logins stamping at once): the stricter counts, as at login. */
    private static GraceRecord stricter(GraceRecord a, GraceRecord b) {
        if (a.problem().isPresent()) {
            return a;
        }
        if (b.problem().isPresent()) {
            return b;
        }
        return a.start().isBefore(b.start()) ? a : b;
    }

    // ------------------------------------------------------------------ the report

    /**
     * The required users in username order, a page of them, optionally only those of a status and of a group's subtree.
     * Rows are read as a stream and never all held, so a report of any size is written with a flat heap. Where the
     * database can page (all users, enrolled, not enrolled), it does, and the rows of a page are enriched with one
     * query for their credentials. Whether a user who has not enrolled is in grace or overdue depends on the grace
     * record and the current settings, so those two filters read the not-enrolled users with their grace records in
     * one query (joined, no query per chunk) and page as the rows stream by.
     */
    public Stream<Row> report(Optional<Status> status, Optional<Set<String>> inGroup, int first, Optional<Integer> max) {
        if (status.isPresent() && (status.get() == Status.GRACE || status.get() == Status.OVERDUE)) {
            TypedQuery<Object[]> query = query("select u.id, u.username, g.credentialData from UserEntity u "
                    + "left join CredentialEntity g on g.user = u and g.type = :grace", status, inGroup, Object[].class)
                    .setParameter("grace", GraceStore.CREDENTIAL_TYPE);
            query.setHint(FETCH_SIZE, CHUNK);
            Predicate<Row> wanted = status.get() == Status.OVERDUE ? r -> r.status().overdue() : r -> !r.status().overdue();
            Stream<Row> rows = notEnrolledWithGrace(query.getResultStream()).filter(wanted).skip(first);
            return max.isPresent() ? rows.limit(max.get()) : rows;
        }
        TypedQuery<Object[]> query = query("select u.id, u.username from UserEntity u", status, inGroup, Object[].class);
        query.setHint(FETCH_SIZE, CHUNK);
        query.setFirstResult(first);
        max.ifPresent(query::setMaxResults);
        return chunked(query.getResultStream(), CHUNK).flatMap(chunk -> enrich(chunk).stream());
    }

    /**
     * Rows of (id, username, grace data) in username order become one row per user: a user with two grace records
     * (two logins stamping at once) comes as two adjacent rows, of which the stricter record counts, as at login.
     */
    private Stream<Row> notEnrolledWithGrace(Stream<Object[]> joined) {
        Iterator<Object[]> source = joined.iterator();
        Iterator<Row> users = new Iterator<>() {
            private Object[] next = source.hasNext() ? source.next() : null;

            @Override
            public boolean hasNext() {
                return next != null;
            }

            @Override
            public Row next() {
                Object[] row = next;
                GraceRecord grace = row[2] == null ? null : GraceStore.parse((String) row[2]);
                next = source.hasNext() ? source.next() : null;
                while (next != null && next[0].equals(row[0])) {
                    if (next[2] != null) {
                        GraceRecord other = GraceStore.parse((String) next[2]);
                        grace = grace == null ? other : stricter(grace, other);
                    }
                    next = source.hasNext() ? source.next() : null;
                }
                return new Row((String) row[0], (String) row[1], EnrolmentStatus.of(config, false, Optional.ofNullable(grace), now));
            }
        };
        return StreamSupport.stream(Spliterators.spliteratorUnknownSize(users, Spliterator.ORDERED), false).onClose(joined::close);
    }

    /** The required users of this realm, as a query with the select given; none if no group makes anyone required. */
    private <T> TypedQuery<T> query(String select, Optional<Status> status, Optional<Set<String>> inGroup, Class<T> type) {
        StringBuilder where = new StringBuilder(" where u.realmId = :realm and u.serviceAccountClientLink is null");
        List<String> requiredBy = new ArrayList<>();
        if (!required.ids().isEmpty()) {
            requiredBy.add(MEMBER_OF.formatted("required"));
        }
        if (!required.unknownPaths().isEmpty()) {
            // Fail closed, as the step does: a required group that does not exist makes everyone outside the optional groups required.
            requiredBy.add(optional.ids().isEmpty() ? "1 = 1" : "not " + MEMBER_OF.formatted("optional"));
        }
        where.append(" and ").append(requiredBy.isEmpty() ? "1 = 0" : "(" + String.join(" or ", requiredBy) + ")");
        if (!exempt.ids().isEmpty()) {
            where.append(" and not ").append(MEMBER_OF.formatted("exempt"));
        }
        inGroup.ifPresent(group -> where.append(" and ").append(MEMBER_OF.formatted("inGroup")));
        status.ifPresent(s -> where.append(s == Status.ENROLLED ? " and " : " and not ").append(ENROLLED));
        TypedQuery<T> query = em.createQuery(select + where + " order by u.username", type).setParameter("realm", realm.getId());
        if (!required.ids().isEmpty()) {
            query.setParameter("required", required.ids());
        }
        if (!required.unknownPaths().isEmpty() && !optional.ids().isEmpty()) {
            query.setParameter("optional", optional.ids());
        }
        if (!exempt.ids().isEmpty()) {
            query.setParameter("exempt", exempt.ids());
        }
        inGroup.ifPresent(group -> query.setParameter("inGroup", group));
        status.ifPresent(s -> query.setParameter("otp", OTPCredentialModel.TYPE));
        return query;
    }

    /** Enrolment and grace records of a chunk of users, one query for the whole chunk. */
    private List<Row> enrich(List<Object[]> chunk) {
        Records records = records(chunk.stream().map(r -> (String) r[0]).toList());
        return chunk.stream()
                .map(r -> new Row((String) r[0], (String) r[1], EnrolmentStatus.of(config, records.enrolled().contains((String) r[0]),
                        Optional.ofNullable(records.grace().get((String) r[0])), now)))
                .toList();
    }

    private static <T> Stream<List<T>> chunked(Stream<T> rows, int size) {
        Iterator<T> source = rows.iterator();
        Iterator<List<T>> chunks = new Iterator<>() {
            @Override
            public boolean hasNext() {
                return source.hasNext();
            }

            @Override
            public List<T> next() {
                List<T> chunk = new ArrayList<>(size);
                while (chunk.size() < size && source.hasNext()) {
                    chunk.add(source.next());
                }
                return chunk;
            }
        };
        return StreamSupport.stream(Spliterators.spliteratorUnknownSize(chunks, Spliterator.ORDERED), false).onClose(rows::close);
    }
}

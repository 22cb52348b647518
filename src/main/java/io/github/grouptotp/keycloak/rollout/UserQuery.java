package io.github.grouptotp.keycloak.rollout;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

import jakarta.persistence.EntityManager;
import jakarta.persistence.TypedQuery;

import org.keycloak.models.RealmModel;

/**
 * A JPQL query over one realm's users ({@code UserEntity u}, service accounts left out: they never log in through
 * the browser flow), built from conditions joined with {@code and}, each bringing the parameters it names.
 */
final class UserQuery {

    /** Matches no user: a condition that needs no parameter and no empty {@code in} list. */
    static final String NOBODY = "1 = 0";

    /** A condition on {@code u} with the parameters it names, to use in several queries. */
    record Condition(String jpql, Map<String, ?> named) {
        /** Matches no user. */
        static final Condition NONE = new Condition(NOBODY, Map.of());

        boolean none() {
            return this == NONE;
        }

        Condition not() {
            return new Condition("not " + jpql, named);
        }
    }

    private final List<String> conditions = new ArrayList<>();
    private final Map<String, Object> parameters = new LinkedHashMap<>();

    private UserQuery() {
    }

    static UserQuery usersOf(RealmModel realm) {
        return new UserQuery()
                .and("u.realmId = :realm", Map.of("realm", realm.getId()))
                .and("u.serviceAccountClientLink is null");
    }

    /**
     * Membership of the groups in parameter {@code name} as an uncorrelated subquery: the database reads the members
     * of the groups once (H2 and PostgreSQL hash them) instead of probing the membership table once per user, which a
     * correlated EXISTS does on H2.
     */
    static String memberOf(String name) {
        return "u.id in (select m.user.id from UserGroupMembershipEntity m where m.groupId in :" + name + ")";
    }

    UserQuery and(String condition) {
        return and(condition, Map.of());
    }

    UserQuery and(String condition, Map<String, ?> named) {
        conditions.add(condition);
        parameters.putAll(named);
        return this;
    }

    UserQuery and(Condition condition) {
        return and(condition.jpql(), condition.named());
    }

    /** Only members of these groups (none: nobody). */
    UserQuery memberOf(String name, Set<String> groupIds) {
        return groupIds.isEmpty() ? and(NOBODY) : and(memberOf(name), Map.of(name, groupIds));
    }

    <T> TypedQuery<T> select(EntityManager em, String select, Class<T> type) {
        return create(em, select + where(), type);
    }

    <T> TypedQuery<T> selectInUsernameOrder(EntityManager em, String select, Class<T> type) {
        return create(em, select + where() + " order by u.username", type);
    }

    private String where() {
        return " where " + String.join(" and ", conditions);
    }

    private <T> TypedQuery<T> create(EntityManager em, String jpql, Class<T> type) {
        TypedQuery<T> query = em.createQuery(jpql, type);
        parameters.forEach(query::setParameter);
        return query;
    }
}

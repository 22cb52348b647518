package io.github.grouptotp.keycloak.rollout;

import java.time.Instant;
import java.util.Arrays;
import java.util.Collection;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.BinaryOperator;
import java.util.stream.Stream;

import jakarta.persistence.EntityManager;
import jakarta.persistence.TypedQuery;

import org.keycloak.models.RealmModel;

import io.github.grouptotp.keycloak.grace.GraceStore;
import io.github.grouptotp.keycloak.grace.ReminderRecord;
import io.github.grouptotp.policy.EnrolmentStatus;
import io.github.grouptotp.policy.GraceRecord;
import io.github.grouptotp.policy.GroupTotpConfig;
import io.github.grouptotp.policy.SecondFactor;

/**
 * What the credential rows the rollout reads say about many users at once, from one query: each user's second factors
 * (authenticator app, security key, passkey), each user's grace record (of two, the one a login counts: {@link GraceStore#STRICTEST_FIRST}) and
 * reminder record. The records are decoded by their own types, as a login decodes them.
 */
final class CredentialRows {

    /** The types the rollout reads: the second factors, grace records and reminder records. */
    static final List<String> TYPES = Stream.concat(types(Arrays.asList(SecondFactor.values())).stream(),
            Stream.of(GraceStore.CREDENTIAL_TYPE, ReminderRecord.CREDENTIAL_TYPE)).toList();
    private static final BinaryOperator<GraceRecord> STRICTER = BinaryOperator.minBy(GraceStore.STRICTEST_FIRST);

    private final Map<String, Set<SecondFactor>> factors = new HashMap<>();
    private final Map<String, GraceRecord> grace = new HashMap<>();
    private final Map<String, String> reminders = new HashMap<>();

    private CredentialRows() {
    }

    /** The rows of every user of the realm. */
    static CredentialRows ofRealm(EntityManager em, RealmModel realm) {
        return read(em.createQuery("select c.user.id, c.type, c.credentialData from CredentialEntity c join c.user u "
                + "where u.realmId = :realm and c.type in :types", Object[].class).setParameter("realm", realm.getId()));
    }

    /** The rows of a chunk of users. */
    static CredentialRows ofUsers(EntityManager em, List<String> userIds) {
        return read(em.createQuery("select c.user.id, c.type, c.credentialData from CredentialEntity c "
                + "where c.user.id in :ids and c.type in :types", Object[].class).setParameter("ids", userIds));
    }

    private static CredentialRows read(TypedQuery<Object[]> query) {
        return of(query.setParameter("types", TYPES).getResultStream());
    }

    /** Rows of (user id, credential type, credential data); a row without a type (a user without credentials) is none. */
    static CredentialRows of(Stream<Object[]> read) {
        CredentialRows rows = new CredentialRows();
        read.filter(row -> row[1] != null).forEach(row -> {
            String id = (String) row[0];
            String type = (String) row[1];
            Optional<SecondFactor> factor = SecondFactor.ofCredentialType(type);
            if (factor.isPresent()) {
                rows.factors.computeIfAbsent(id, user -> EnumSet.noneOf(SecondFactor.class)).add(factor.get());
            } else if (GraceStore.CREDENTIAL_TYPE.equals(type)) {
                rows.grace.merge(id, GraceStore.parse((String) row[2]), STRICTER);
            } else {
                rows.reminders.put(id, (String) row[2]);
            }
        });
        return rows;
    }

    /** Keycloak's credential types of these factors. */
    static List<String> types(Collection<SecondFactor> factors) {
        return factors.stream().map(SecondFactor::credentialType).toList();
    }

    /** The second factors the user holds, whether the settings accept them or not. */
    Set<SecondFactor> factors(String userId) {
        return factors.getOrDefault(userId, Set.of());
    }

    /** The user's grace record that counts, if any. */
    Optional<GraceRecord> grace(String userId) {
        return Optional.ofNullable(grace.get(userId));
    }

    /**
     * Where the user stands under these settings at {@code now}: enrolled when a factor the user holds meets the
     * policy ({@link GroupTotpConfig#satisfying}), as at a login.
     */
    EnrolmentStatus status(GroupTotpConfig config, String userId, boolean phishingResistant, Instant now) {
        return EnrolmentStatus.of(config, SecondFactor.meets(factors(userId), config.satisfying(phishingResistant)), grace(userId), now);
    }

    /** Whether the user was sent a reminder for this deadline. */
    boolean reminded(String userId, Instant deadline) {
        String record = reminders.get(userId);
        return record != null && !ReminderRecord.sentFor(record, deadline).isEmpty();
    }
}

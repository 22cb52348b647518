package io.github.grouptotp.keycloak.rollout;

import java.time.Instant;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HashSet;
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
 * What the credential rows the rollout reads say about many users at once, from one query: who has a second factor
 * (an authenticator app, a security key or a passkey), each user's grace record (of two, the one a login counts: {@link GraceStore#STRICTEST_FIRST}) and
 * reminder record. The records are decoded by their own types, as a login decodes them.
 */
final class CredentialRows {

    /** Keycloak's credential types of the second factors. */
    static final List<String> FACTOR_TYPES = Arrays.stream(SecondFactor.values()).map(SecondFactor::credentialType).toList();
    private static final List<String> TYPES = Stream.concat(FACTOR_TYPES.stream(),
            Stream.of(GraceStore.CREDENTIAL_TYPE, ReminderRecord.CREDENTIAL_TYPE)).toList();
    private static final BinaryOperator<GraceRecord> STRICTER = BinaryOperator.minBy(GraceStore.STRICTEST_FIRST);

    private final Set<String> enrolled = new HashSet<>();
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

    /** The grace record that counts of one user's stored grace data (none: no record). */
    static Optional<GraceRecord> strictest(Stream<String> graceData) {
        return graceData.map(GraceStore::parse).reduce(STRICTER);
    }

    private static CredentialRows read(TypedQuery<Object[]> query) {
        CredentialRows rows = new CredentialRows();
        query.setParameter("types", TYPES).getResultStream().forEach(row -> {
            String id = (String) row[0];
            String type = (String) row[1];
            if (FACTOR_TYPES.contains(type)) {
                rows.enrolled.add(id);
            } else if (GraceStore.CREDENTIAL_TYPE.equals(type)) {
                rows.grace.merge(id, GraceStore.parse((String) row[2]), STRICTER);
            } else {
                rows.reminders.put(id, (String) row[2]);
            }
        });
        return rows;
    }

    boolean enrolled(String userId) {
        return enrolled.contains(userId);
    }

    /** Where the user stands under these settings at {@code now}. */
    EnrolmentStatus status(GroupTotpConfig config, String userId, Instant now) {
        return EnrolmentStatus.of(config, enrolled(userId), Optional.ofNullable(grace.get(userId)), now);
    }

    /** Whether the user was sent a reminder for this deadline. */
    boolean reminded(String userId, Instant deadline) {
        String record = reminders.get(userId);
        return record != null && !ReminderRecord.sentFor(record, deadline).isEmpty();
    }
}

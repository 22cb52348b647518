package io.github.grouptotp.keycloak.guard;

import org.keycloak.cluster.ClusterProvider;
import org.keycloak.cluster.ExecutionResult;
import org.keycloak.models.KeycloakSession;
import org.keycloak.models.RealmModel;
import org.keycloak.models.UserModel;
import org.keycloak.models.cache.UserCache;
import org.keycloak.models.utils.KeycloakModelUtils;

/**
 * Runs a change of one user's credentials under a cluster-wide lock per user, in its own transaction that reads the
 * user afresh from the database and commits before the lock is released: what one holder stored, the next holder
 * sees, on any node. Used where a credential must change exactly once (an enrolment, a recovery code spent, a
 * reminder recorded).
 */
public final class UserLock {

    @FunctionalInterface
    public interface Task<T> {
        T run(KeycloakSession session, RealmModel realm, UserModel user);
    }

    private UserLock() {
    }

    /** Runs {@code task}, or returns "not executed" at once if another request holds the user's lock for {@code purpose}. */
    public static <T> ExecutionResult<T> run(KeycloakSession session, RealmModel realm, UserModel user, String purpose,
                                             int lockSeconds, Task<T> task) {
        return run(session, realm.getId(), user.getId(), purpose, lockSeconds, task);
    }

    /** {@link #run(KeycloakSession, RealmModel, UserModel, String, int, Task)} by ids; the task gets no user if it was deleted. */
    public static <T> ExecutionResult<T> run(KeycloakSession session, String realmId, String userId, String purpose,
                                             int lockSeconds, Task<T> task) {
        return session.getProvider(ClusterProvider.class).executeIfNotExecuted(
                "group-totp-" + purpose + "::" + realmId + "::" + userId, lockSeconds,
                () -> KeycloakModelUtils.runJobInTransactionWithResult(session.getKeycloakSessionFactory(), txSession -> {
                    RealmModel txRealm = txSession.realms().getRealm(realmId);
                    txSession.getContext().setRealm(txRealm);
                    UserModel txUser = txSession.users().getUserById(txRealm, userId);
                    UserCache cache = txSession.getProvider(UserCache.class);
                    if (cache != null && txUser != null) {
                        // Another node may have changed the user a moment ago: read the database, not this node's cache.
                        cache.evict(txRealm, txUser);
                        txUser = txSession.users().getUserById(txRealm, userId);
                    }
                    return task.run(txSession, txRealm, txUser);
                }));
    }
}

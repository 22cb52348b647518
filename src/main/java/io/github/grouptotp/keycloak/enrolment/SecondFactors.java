package io.github.grouptotp.keycloak.enrolment;

import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;

import org.keycloak.credential.CredentialModel;
import org.keycloak.models.UserModel;

import io.github.grouptotp.keycloak.LoginRecord;
import io.github.grouptotp.keycloak.credentials.ExtensionRecords;
import io.github.grouptotp.keycloak.credentials.RecordType;
import io.github.grouptotp.policy.SecondFactor;

/**
 * Whether the user has a second factor now, and whether they had one: a record of the extension's own credential
 * type {@value #CREDENTIAL_TYPE} ({@code {"since": "..."}}), out of the user's reach, stamped when a login sees or
 * sets up a factor and removed only by an admin's deletion of the user's last factor or a removal the user proved in
 * the same login. A user with the record and no factor lost it by a route the extension cannot veto (the account REST
 * API, say): the next login asks for the help desk instead of letting whoever has the password set up a new one.
 */
public final class SecondFactors {

    public static final String CREDENTIAL_TYPE = "group-totp-second-factor";

    /** An unreadable record still says the user had a factor: no password-only set-up. */
    static final RecordType<Instant> TYPE = RecordType.instant(CREDENTIAL_TYPE, "since", "The user has had a second factor", Instant.EPOCH);

    private SecondFactors() {
    }

    /** Whether the user has a second factor now: an authenticator app, a security key or a passkey. */
    public static boolean has(UserModel user) {
        return !held(user).isEmpty();
    }

    /**
     * The user's second factors, in the order of the user's credentials (Keycloak's credential priority, which an
     * admin can change): the first is the one a login asks for.
     */
    public static List<SecondFactor> held(UserModel user) {
        return user.credentialManager().getStoredCredentialsStream()
                .map(CredentialModel::getType).map(SecondFactor::ofCredentialType).flatMap(Optional::stream)
                .distinct().toList();
    }

    /** The ids of the user's credentials of these factors (all factors, for an empty set): a remembered browser stands for one. */
    public static Set<String> credentialIds(UserModel user, Set<SecondFactor> factors) {
        return user.credentialManager().getStoredCredentialsStream()
                .filter(credential -> SecondFactor.ofCredentialType(credential.getType())
                        .filter(factor -> factors.isEmpty() || factors.contains(factor)).isPresent())
                .map(CredentialModel::getId).collect(Collectors.toSet());
    }

    /** Whether the user had a second factor that no admin and no proven removal took away. */
    public static boolean hadOne(UserModel user) {
        return !ExtensionRecords.read(user, TYPE).isEmpty();
    }

    /** A user with a factor: stamped once, so a later removal by an unchecked route is noticed. */
    public static void noteIfMissing(UserModel user) {
        if (!hadOne(user)) {
            ExtensionRecords.add(user, TYPE, LoginRecord.now());
        }
    }

    /** The user's last factor was removed by an admin, or with proof: a new one may be set up as at first enrolment. */
    public static void forget(UserModel user) {
        ExtensionRecords.remove(user, TYPE);
    }

    /** Whether a user who has no factor now lost one that must be replaced through the help desk. */
    public static boolean lost(UserModel user) {
        return !has(user) && hadOne(user);
    }
}

package io.github.grouptotp.keycloak.enrolment;

import java.time.Instant;

import org.keycloak.models.UserModel;

import io.github.grouptotp.keycloak.LoginRecord;
import io.github.grouptotp.keycloak.credentials.ExtensionRecords;
import io.github.grouptotp.keycloak.credentials.RecordType;

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

    /** Whether the user has a second factor now. */
    public static boolean has(UserModel user) {
        return TotpCredentials.isEnrolled(user);
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

package io.github.grouptotp.keycloak.reset;

import java.time.Instant;
import java.util.Collection;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Stream;

import org.keycloak.common.util.Time;
import org.keycloak.credential.CredentialModel;
import org.keycloak.events.EventBuilder;
import org.keycloak.models.KeycloakSession;
import org.keycloak.models.RealmModel;
import org.keycloak.models.UserModel;
import org.keycloak.models.UserSessionModel;
import org.keycloak.models.credential.OTPCredentialModel;
import org.keycloak.models.credential.RecoveryAuthnCodesCredentialModel;
import org.keycloak.services.managers.AuthenticationManager;

import io.github.grouptotp.keycloak.LoginRecord;
import io.github.grouptotp.keycloak.RequiredActions;
import io.github.grouptotp.keycloak.StepConfigs;
import io.github.grouptotp.keycloak.enrolment.SecondFactors;
import io.github.grouptotp.keycloak.enrolment.TotpCredentials;
import io.github.grouptotp.keycloak.grace.ReminderRecord;
import io.github.grouptotp.keycloak.remember.Revocations;
import io.github.grouptotp.policy.GroupTotpConfig;
import io.github.grouptotp.policy.SecondFactor;

/**
 * The help desk's reset of a user's second factor (lost, replaced or wiped phone), whoever asks for it: what goes
 * ({@link #RESET_REMOVES}, each removal with the {@code REMOVE_CREDENTIAL} event a login's removal has), that the
 * reminders start afresh, the reset assigned with its one-time pass ({@link PendingReset#assign}, as the browser
 * flow step's settings say), and who is signed out: by default everyone signed in as the user, with every session
 * and offline token, as Entra's "revoke MFA sessions" does.
 */
public final class HelpDeskReset {

    /**
     * What a reset removes unless told otherwise: every second factor of the user (apps, security keys, passkeys) and
     * the recovery codes that stand in for them (a thief may hold the stolen phone's downloaded codes).
     */
    public static final Set<String> RESET_REMOVES = Set.of(OTPCredentialModel.TYPE, SecondFactor.WEBAUTHN.credentialType(),
            SecondFactor.PASSKEY.credentialType(), RecoveryAuthnCodesCredentialModel.TYPE);

    /** The name of the recovery codes in a reset's list of what to remove, beside the factors' names (otp, webauthn, passkey). */
    public static final String RECOVERY_CODES = "recovery-codes";

    /**
     * Keycloak's credential types of what a reset's body names ({@code otp}, {@code webauthn}, {@code passkey},
     * {@value #RECOVERY_CODES}); empty if a name is none of these, so that nothing is removed on a typo.
     */
    public static Optional<Set<String>> typesNamed(Collection<String> names) {
        Set<String> types = new HashSet<>();
        for (String name : names) {
            Optional<String> type = RECOVERY_CODES.equals(name) ? Optional.of(RecoveryAuthnCodesCredentialModel.TYPE)
                    : SecondFactor.ofConfigName(name).map(SecondFactor::credentialType);
            if (type.isEmpty()) {
                return Optional.empty();
            }
            types.add(type.get());
        }
        return Optional.of(types);
    }

    /**
     * @param removedCredentials the ids of the credentials removed
     * @param remainingFactors   the second factors the user still has (a reset of some of them); none after a whole reset
     * @param resetAssigned      whether the user sets up a new factor at the next login (no factor is left)
     * @param endedSessions      sessions and offline sessions ended (none without the sign-out)
     * @param pass               the one-time pass as the help desk reads it, with its record, if one was issued
     */
    public record Done(List<String> removedCredentials, List<SecondFactor> remainingFactors, boolean resetAssigned,
                       int endedSessions, Optional<OneTimePass.Issued> pass) {
    }

    private HelpDeskReset() {
    }

    /** Whether a reset can be done in the realm: its required action is enabled, else nobody would be asked for a new phone. */
    public static boolean possible(RealmModel realm) {
        return RequiredActions.isEnabled(realm, PendingReset.ACTION_ID);
    }

    /**
     * Removes the user's credentials of these types ({@link #RESET_REMOVES} for a whole reset), in the caller's
     * transaction; the caller has checked {@link #possible}. A user left without a second factor loses the recovery
     * codes too and is assigned the reset, with its one-time pass; a user who keeps one (a lost security key, the app
     * still at hand) logs in with it as before. Remembered browsers are forgotten either way.
     */
    public static Done perform(KeycloakSession session, RealmModel realm, UserModel user, Set<String> removeTypes, boolean signOut) {
        Set<String> types = new HashSet<>(removeTypes);
        boolean noFactorLeft = user.credentialManager().getStoredCredentialsStream().map(CredentialModel::getType)
                .filter(type -> SecondFactor.ofCredentialType(type).isPresent())
                .allMatch(types::contains);
        if (noFactorLeft) {
            // Codes that stand in for no factor would only serve a thief.
            types.add(RecoveryAuthnCodesCredentialModel.TYPE);
        }
        List<CredentialModel> removed = user.credentialManager().getStoredCredentialsStream()
                .filter(c -> types.contains(c.getType())).toList();
        TotpCredentials.remove(user, removed, new EventBuilder(realm, session, session.getContext().getConnection()));
        Instant now = LoginRecord.now();
        Revocations.revokeAll(user, now);
        Optional<OneTimePass.Issued> pass = Optional.empty();
        if (noFactorLeft) {
            ReminderRecord.clear(user);
            GroupTotpConfig config = StepConfigs.ofBrowserFlow(realm);
            pass = PendingReset.assign(session, user, config.resetPassRequired(), config.resetPassHours(), now);
        }
        int ended = signOut ? signOut(session, realm, user) : 0;
        return new Done(removed.stream().map(CredentialModel::getId).toList(), SecondFactors.held(user), noFactorLeft, ended, pass);
    }

    /** Ends the user's sessions and offline sessions, and makes tokens issued before now invalid. */
    private static int signOut(KeycloakSession session, RealmModel realm, UserModel user) {
        session.users().setNotBeforeForUser(realm, user, Time.currentTime());
        List<UserSessionModel> sessions = Stream.concat(
                        session.sessions().getUserSessionsStream(realm, user),
                        session.sessions().getOfflineUserSessionsStream(realm, user))
                .toList();
        sessions.forEach(userSession -> AuthenticationManager.backchannelLogout(session, userSession, true));
        return sessions.size();
    }
}

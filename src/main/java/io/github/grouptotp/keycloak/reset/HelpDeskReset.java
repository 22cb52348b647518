package io.github.grouptotp.keycloak.reset;

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
import io.github.grouptotp.keycloak.enrolment.TotpCredentials;
import io.github.grouptotp.keycloak.grace.ReminderRecord;
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
     * What a reset removes: every second factor of the user (apps, security keys, passkeys) and the recovery codes that
     * stand in for them (a thief may hold the stolen phone's downloaded codes).
     */
    public static final Set<String> RESET_REMOVES = Set.of(OTPCredentialModel.TYPE, SecondFactor.WEBAUTHN.credentialType(),
            SecondFactor.PASSKEY.credentialType(), RecoveryAuthnCodesCredentialModel.TYPE);

    /**
     * @param removedCredentials the ids of the credentials removed
     * @param endedSessions      sessions and offline sessions ended (none without the sign-out)
     * @param pass               the one-time pass as the help desk reads it, with its record, if one was issued
     */
    public record Done(List<String> removedCredentials, int endedSessions, Optional<OneTimePass.Issued> pass) {
    }

    private HelpDeskReset() {
    }

    /** Whether a reset can be done in the realm: its required action is enabled, else nobody would be asked for a new phone. */
    public static boolean possible(RealmModel realm) {
        return RequiredActions.isEnabled(realm, PendingReset.ACTION_ID);
    }

    /** Resets the user's second factor, in the caller's transaction; the caller has checked {@link #possible}. */
    public static Done perform(KeycloakSession session, RealmModel realm, UserModel user, boolean signOut) {
        List<CredentialModel> factors = user.credentialManager().getStoredCredentialsStream()
                .filter(c -> RESET_REMOVES.contains(c.getType())).toList();
        TotpCredentials.remove(user, factors, new EventBuilder(realm, session, session.getContext().getConnection()));
        ReminderRecord.clear(user);
        GroupTotpConfig config = StepConfigs.ofBrowserFlow(realm);
        Optional<OneTimePass.Issued> pass = PendingReset.assign(session, user, config.resetPassRequired(),
                config.resetPassHours(), LoginRecord.now());
        int ended = signOut ? signOut(session, realm, user) : 0;
        return new Done(factors.stream().map(CredentialModel::getId).toList(), ended, pass);
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

package io.github.grouptotp.keycloak;

import org.jboss.logging.Logger;
import org.keycloak.models.RealmModel;
import org.keycloak.models.RequiredActionProviderModel;
import org.keycloak.models.UserCredentialModel;
import org.keycloak.models.UserModel;
import org.keycloak.models.credential.RecoveryAuthnCodesCredentialModel;
import org.keycloak.sessions.AuthenticationSessionModel;

/**
 * Keycloak's own recovery codes ({@code recovery-authn-codes} credential and its set-up required action): the
 * extension neither generates nor stores codes, it only offers and checks them.
 */
final class RecoveryCodes {

    private static final Logger LOG = Logger.getLogger(RecoveryCodes.class);

    static final String SETUP_ACTION = UserModel.RequiredAction.CONFIGURE_RECOVERY_AUTHN_CODES.name();
    /** Keycloak shows codes as XXXX-XXXX-XXXX; anything much longer is not one. */
    private static final int MAX_INPUT_LENGTH = 64;

    private RecoveryCodes() {
    }

    static boolean has(UserModel user) {
        return user.credentialManager().isConfiguredFor(RecoveryAuthnCodesCredentialModel.TYPE);
    }

    /** Checks and, if valid, uses up one recovery code (Keycloak removes it from the credential). */
    static boolean use(UserModel user, String raw) {
        if (raw == null || raw.isBlank() || raw.length() > MAX_INPUT_LENGTH) {
            return false;
        }
        return user.credentialManager().isValid(UserCredentialModel.buildFromBackupAuthnCode(raw.trim().replace("-", "")));
    }

    /** Shows Keycloak's recovery-code page once, in this login only (never stored on the user). */
    static void showNewCodes(RealmModel realm, AuthenticationSessionModel authSession) {
        RequiredActionProviderModel action = realm.getRequiredActionProviderByAlias(SETUP_ACTION);
        if (action == null || !action.isEnabled()) {
            LOG.warnf("Realm '%s': recovery codes are on for the Group TOTP policy step, but required action %s is "
                    + "not enabled; no recovery codes were shown", realm.getName(), SETUP_ACTION);
            return;
        }
        authSession.addRequiredAction(SETUP_ACTION);
    }
}

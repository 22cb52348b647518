package io.github.grouptotp.keycloak.actions;

import org.jboss.logging.Logger;
import org.keycloak.authentication.InitiatedActionSupport;
import org.keycloak.authentication.RequiredActionContext;
import org.keycloak.models.KeycloakSessionFactory;

import io.github.grouptotp.keycloak.LoginRecord;
import io.github.grouptotp.keycloak.RequiredActions;
import io.github.grouptotp.keycloak.remember.Revocations;

/**
 * "Forget remembered browsers" ({@value RequiredActions#FORGET_BROWSERS}), which the extension registers in every
 * realm: a user (or an application, with {@code kc_action=group-totp-forget-browsers}) ends every remembered browser
 * of the user at once; the next login in any of them asks for a code. It is the user's own way when Keycloak tells
 * no extension about a sign-out of all devices (none when no other session is alive). Forgetting takes nothing
 * away, so it asks nothing; an admin can assign it too.
 */
public class ForgetBrowsersAction extends ExtensionAction {

    private static final Logger LOG = Logger.getLogger(ForgetBrowsersAction.class);

    @Override
    public void evaluateTriggers(RequiredActionContext context) {
    }

    @Override
    public void requiredActionChallenge(RequiredActionContext context) {
        Revocations.revokeAll(context.getUser(), LoginRecord.now());
        LOG.debugf("user %s: every remembered browser forgotten", context.getUser().getId());
        context.success();
    }

    @Override
    public void processAction(RequiredActionContext context) {
        requiredActionChallenge(context);
    }

    @Override
    public InitiatedActionSupport initiatedActionSupport() {
        return InitiatedActionSupport.SUPPORTED;
    }

    @Override
    public String getDisplayText() {
        return "Forget remembered browsers";
    }

    @Override
    public String getId() {
        return RequiredActions.FORGET_BROWSERS;
    }

    /** Registers the extension's own required actions in every realm, existing and new. */
    @Override
    public void postInit(KeycloakSessionFactory factory) {
        ActionRegistration.registerInEveryRealm(factory);
    }
}

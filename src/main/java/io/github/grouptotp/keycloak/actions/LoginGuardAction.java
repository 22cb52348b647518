package io.github.grouptotp.keycloak.actions;

import org.keycloak.authentication.InitiatedActionSupport;
import org.keycloak.authentication.RequiredActionContext;
import org.keycloak.models.Constants;
import org.keycloak.sessions.AuthenticationSessionModel;

import io.github.grouptotp.keycloak.LoginRecord;
import io.github.grouptotp.keycloak.LoginRequest;
import io.github.grouptotp.keycloak.RequiredActions;
import io.github.grouptotp.keycloak.enrolment.SecondFactors;
import io.github.grouptotp.keycloak.pages.TotpPages;
import io.github.grouptotp.keycloak.steps.StepResult;
import io.github.grouptotp.keycloak.steps.Steps;

/**
 * {@value RequiredActions#LOGIN_GUARD}, which the extension registers in every realm ({@link ActionRegistration}).
 * Keycloak asks it in every request that may finish a login, whatever else the realm enabled, so it:
 * <ul>
 *   <li>puts the step's LOGIN detail on the LOGIN event of a login that ends after other required actions;</li>
 *   <li>asks a fresh code (or the user's security key or passkey) before an application-initiated action
 *       ({@code kc_action}: a new authenticator, a deleted credential, a new password, ...) in a login that gave none:
 *       one riding on an SSO session, which may rest on a remembered browser, for which Keycloak would not
 *       re-authenticate within {@code max_auth_age}; a user whose factor was removed without proof gets the help
 *       desk instead, so no other factor can be registered in its place.</li>
 * </ul>
 * Never assigned to users by the extension.
 */
public class LoginGuardAction extends EngineAction {

    @Override
    public void evaluateTriggers(RequiredActionContext context) {
        AuthenticationSessionModel authSession = context.getAuthenticationSession();
        LoginRecord record = LoginRecord.of(authSession);
        record.applyOutcome(context.getEvent());
        String kcAction = authSession.getClientNote(Constants.KC_ACTION);
        if (kcAction != null && !RequiredActions.FORGET_BROWSERS.equals(kcAction) && record.proof().isEmpty()
                && context.getUser() != null && (SecondFactors.has(context.getUser()) || SecondFactors.hadOne(context.getUser()))) {
            authSession.addRequiredAction(RequiredActions.LOGIN_GUARD);
        }
    }

    @Override
    protected StepResult start(LoginRequest request) {
        return Steps.confirmIdentity(request, TotpPages.MSG_CONFIRM_ACCOUNT_CHANGE);
    }

    /**
     * Supported, though never meant to be asked for: Keycloak 26.0 to 26.x treat every action that runs while a
     * {@code kc_action} is pending as that action, and skip one that does not support it, which would skip this check.
     * Cancelling it (Keycloak's {@code cancel-aia}) only shows it again: it stays on the login until the code.
     */
    @Override
    public InitiatedActionSupport initiatedActionSupport() {
        return InitiatedActionSupport.SUPPORTED;
    }

    @Override
    public String getDisplayText() {
        return "Group TOTP: login record and code before account changes";
    }

    @Override
    public String getId() {
        return RequiredActions.LOGIN_GUARD;
    }
}

package io.github.grouptotp.keycloak.actions;

import org.keycloak.authentication.InitiatedActionSupport;
import org.keycloak.authentication.RequiredActionContext;
import org.keycloak.models.KeycloakSession;

import io.github.grouptotp.keycloak.LoginRequest;
import io.github.grouptotp.keycloak.RequiredActions;
import io.github.grouptotp.keycloak.steps.StepResult;
import io.github.grouptotp.keycloak.steps.Steps;

/**
 * "Reset authenticator app" ({@value RequiredActions#RESET}): a new authenticator is set up before the login
 * completes, through the step engine's pages ({@link Steps#reset}).
 *
 * <ul>
 *   <li>Assigned by an admin (stored on the user): the browser step does the reset itself in the next login; this
 *       action runs it where a login passes no such step. The one-time pass comes first wherever one was issued.</li>
 *   <li>Started by the user ({@code kc_action=group-totp-reset}): Keycloak re-authenticates first, and the current
 *       code is asked before anything changes, unless this very login gave a fresh proof.</li>
 * </ul>
 * Either way the old authenticator is only replaced once the new one is confirmed.
 */
public class GroupTotpResetAction extends EngineAction {

    @Override
    protected StepResult start(LoginRequest request) {
        return Steps.reset(request);
    }

    @Override
    public InitiatedActionSupport initiatedActionSupport() {
        return InitiatedActionSupport.SUPPORTED;
    }

    /** A user-started reset always re-authenticates first: Keycloak 26.0 to 26.2 ask this method ... */
    @Override
    public int getMaxAuthAge() {
        return 0;
    }

    /** ... and Keycloak 26.3 and later this one (not in the 26.0 API this JAR is compiled against). */
    public int getMaxAuthAge(KeycloakSession session) {
        return 0;
    }

    @Override
    public String getDisplayText() {
        return "Reset authenticator app";
    }

    @Override
    public String getId() {
        return RequiredActions.RESET;
    }

    @Override
    public void evaluateTriggers(RequiredActionContext context) {
    }
}

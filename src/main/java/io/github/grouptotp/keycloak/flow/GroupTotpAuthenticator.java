package io.github.grouptotp.keycloak.flow;

import org.keycloak.authentication.AuthenticationFlowContext;
import org.keycloak.authentication.Authenticator;
import org.keycloak.models.KeycloakSession;
import org.keycloak.models.RealmModel;
import org.keycloak.models.UserModel;

import io.github.grouptotp.keycloak.KeycloakApi;
import io.github.grouptotp.keycloak.LoginRequest;
import io.github.grouptotp.keycloak.StepConfigs;
import io.github.grouptotp.keycloak.steps.StepResult;
import io.github.grouptotp.keycloak.steps.Steps;

/**
 * The "Group TOTP policy" browser-flow step: the flow context in, the step engine's answer ({@link Steps}) out, as
 * Keycloak pages, success or a challenge. Everything the step starts (an enrolment, an admin's reset, a recovery code
 * and the new phone after it, new recovery codes) ends inside it, so the LOGIN event of the request that finishes
 * carries how the user passed. Stateless: what a login keeps lives in authentication-session notes.
 */
public class GroupTotpAuthenticator implements Authenticator {

    @Override
    public void authenticate(AuthenticationFlowContext context) {
        LoginRequest request = request(context);
        // Later required actions of this login (the reset action, the login guard) read the settings of this step.
        StepConfigs.rememberFor(context.getAuthenticationSession(), context.getAuthenticatorConfig());
        apply(context, request, Steps.login(request, FlowPolicy.decide(context, request.config())));
    }

    @Override
    public void action(AuthenticationFlowContext context) {
        LoginRequest request = request(context);
        apply(context, request, Steps.answer(request));
    }

    private static LoginRequest request(AuthenticationFlowContext context) {
        return LoginRequest.of(context, FlowPolicy.config(context));
    }

    /**
     * The engine's answer onto the flow. Pages are forced: the step is Required, and no alternative may stand in for
     * it. Wrong secrets were reported to Keycloak's brute-force protection by the guard already.
     */
    static void apply(AuthenticationFlowContext context, LoginRequest request, StepResult result) {
        if (result instanceof StepResult.Show show) {
            context.forceChallenge(show.page());
            return;
        }
        StepResult.Done done = (StepResult.Done) result;
        if (done.outcome() != null) {
            request.record().outcome(context.getEvent(), done.outcome(), done.deadline());
        }
        if (done.usedFactor() != null) {
            KeycloakApi.success(context, done.usedFactor().credentialType());
        } else {
            context.success();
        }
    }

    @Override
    public boolean requiresUser() {
        return true;
    }

    /** The step decides for itself whether a user needs a code, so Keycloak must always run it. */
    @Override
    public boolean configuredFor(KeycloakSession session, RealmModel realm, UserModel user) {
        return true;
    }

    @Override
    public void setRequiredActions(KeycloakSession session, RealmModel realm, UserModel user) {
    }

    @Override
    public void close() {
    }
}

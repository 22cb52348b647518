package io.github.grouptotp.keycloak.actions;

import org.keycloak.authentication.RequiredActionContext;

import io.github.grouptotp.keycloak.LoginRequest;
import io.github.grouptotp.keycloak.StepConfigs;
import io.github.grouptotp.keycloak.steps.StepResult;
import io.github.grouptotp.keycloak.steps.Steps;

/**
 * A required action that runs the step engine's pages: its entry in {@link #start}, every answer through
 * {@link Steps#answer}; the engine's result mapped onto the required-action context. Stateless.
 */
abstract class EngineAction extends ExtensionAction {

    /** The engine's first page (or done) for this action. */
    protected abstract StepResult start(LoginRequest request);

    @Override
    public void requiredActionChallenge(RequiredActionContext context) {
        LoginRequest request = request(context);
        apply(context, request, start(request));
    }

    @Override
    public void processAction(RequiredActionContext context) {
        LoginRequest request = request(context);
        if (request.record().stage().isEmpty()) {
            // A POST for no page of this login (a fresh action, or a page from before): start over.
            apply(context, request, start(request));
        } else {
            apply(context, request, Steps.answer(request));
        }
    }

    static LoginRequest request(RequiredActionContext context) {
        return LoginRequest.of(context, StepConfigs.forLogin(context.getRealm(), context.getAuthenticationSession()));
    }

    private static void apply(RequiredActionContext context, LoginRequest request, StepResult result) {
        if (result instanceof StepResult.Show show) {
            context.challenge(show.page());
            return;
        }
        StepResult.Done done = (StepResult.Done) result;
        if (done.outcome() != null) {
            request.record().outcome(context.getEvent(), done.outcome(), done.deadline());
        }
        context.success();
    }
}

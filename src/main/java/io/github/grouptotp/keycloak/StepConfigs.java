package io.github.grouptotp.keycloak;

import java.util.Optional;

import org.keycloak.models.AuthenticationExecutionModel;
import org.keycloak.models.AuthenticationFlowBindings;
import org.keycloak.models.AuthenticationFlowModel;
import org.keycloak.models.AuthenticatorConfigModel;
import org.keycloak.models.ClientModel;
import org.keycloak.models.RealmModel;
import org.keycloak.sessions.AuthenticationSessionModel;

import io.github.grouptotp.policy.GroupTotpConfig;

/**
 * Finds the settings of the "Group TOTP policy" step for code that runs outside the step: the required actions of a
 * login (the step's own settings if it ran, else those of the browser flow that applies to the login's client,
 * per-client overrides included) and the admin resource and background tasks (the realm's browser flow).
 */
public final class StepConfigs {

    /** Provider id of the browser step, {@code group-totp}. */
    public static final String BROWSER_STEP_ID = "group-totp";
    /** The step's config of this login, by id, for the required actions that follow it. */
    private static final String CONFIG_NOTE = "group-totp.config-id";

    /** Flows nest a few levels at most; the bound keeps a malformed flow graph from recursing forever. */
    private static final int MAX_DEPTH = 10;

    private StepConfigs() {
    }

    /** Notes which config the step of this login runs with. */
    public static void rememberFor(AuthenticationSessionModel authSession, AuthenticatorConfigModel config) {
        if (config != null) {
            authSession.setAuthNote(CONFIG_NOTE, config.getId());
        }
    }

    /** The settings that apply to this login: its step's, else those of the browser flow its client uses. */
    public static GroupTotpConfig forLogin(RealmModel realm, AuthenticationSessionModel authSession) {
        String id = authSession.getAuthNote(CONFIG_NOTE);
        AuthenticatorConfigModel ran = id == null ? null : realm.getAuthenticatorConfigById(id);
        if (ran != null) {
            return GroupTotpConfig.from(ran.getConfig());
        }
        return browserFlowOf(realm, authSession.getClient())
                .flatMap(flow -> find(realm, flow.getId(), 0))
                .map(config -> GroupTotpConfig.from(config.getConfig()))
                .orElse(GroupTotpConfig.DEFAULTS);
    }

    /** The config of the first enabled step in the realm's browser flow, or the defaults. */
    public static GroupTotpConfig ofBrowserFlow(RealmModel realm) {
        return browserStepConfig(realm)
                .map(config -> GroupTotpConfig.from(config.getConfig()))
                .orElse(GroupTotpConfig.DEFAULTS);
    }

    /** The stored config of the first enabled step in the realm's browser flow. */
    public static Optional<AuthenticatorConfigModel> browserStepConfig(RealmModel realm) {
        AuthenticationFlowModel browserFlow = realm.getBrowserFlow();
        return browserFlow == null ? Optional.empty() : find(realm, browserFlow.getId(), 0);
    }

    /** The browser flow of a client: its override (Advanced > Authentication flow overrides), else the realm's. */
    private static Optional<AuthenticationFlowModel> browserFlowOf(RealmModel realm, ClientModel client) {
        String override = client == null ? null : client.getAuthenticationFlowBindingOverride(AuthenticationFlowBindings.BROWSER_BINDING);
        AuthenticationFlowModel flow = override == null ? null : realm.getAuthenticationFlowById(override);
        return Optional.ofNullable(flow != null ? flow : realm.getBrowserFlow());
    }

    private static Optional<AuthenticatorConfigModel> find(RealmModel realm, String flowId, int depth) {
        if (depth > MAX_DEPTH) {
            return Optional.empty();
        }
        for (AuthenticationExecutionModel execution : realm.getAuthenticationExecutionsStream(flowId).toList()) {
            if (execution.isDisabled()) {
                continue;
            }
            if (execution.isAuthenticatorFlow()) {
                Optional<AuthenticatorConfigModel> nested = find(realm, execution.getFlowId(), depth + 1);
                if (nested.isPresent()) {
                    return nested;
                }
            } else if (BROWSER_STEP_ID.equals(execution.getAuthenticator()) && execution.getAuthenticatorConfig() != null) {
                return Optional.ofNullable(realm.getAuthenticatorConfigById(execution.getAuthenticatorConfig()));
            }
        }
        return Optional.empty();
    }
}

package io.github.grouptotp.keycloak;

import java.util.Optional;

import org.keycloak.models.AuthenticationExecutionModel;
import org.keycloak.models.AuthenticationFlowModel;
import org.keycloak.models.AuthenticatorConfigModel;
import org.keycloak.models.RealmModel;

import io.github.grouptotp.policy.GroupTotpConfig;

/**
 * Finds the settings of the "Group TOTP policy" step for code that runs outside the flow (the reset action, the
 * admin resource).
 */
public final class StepConfigs {

    /** Provider id of the browser step, {@code group-totp}. */
    public static final String BROWSER_STEP_ID = "group-totp";

    /** Flows nest a few levels at most; the bound keeps a malformed flow graph from recursing forever. */
    private static final int MAX_DEPTH = 10;

    private StepConfigs() {
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

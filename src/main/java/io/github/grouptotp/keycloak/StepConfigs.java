package io.github.grouptotp.keycloak;

import java.util.Optional;

import org.keycloak.models.AuthenticationExecutionModel;
import org.keycloak.models.AuthenticationFlowModel;
import org.keycloak.models.AuthenticatorConfigModel;
import org.keycloak.models.RealmModel;

import io.github.grouptotp.policy.GroupTotpConfig;

/** Finds the settings of the "Group TOTP policy" step for code that runs outside the flow (the reset action). */
final class StepConfigs {

    /** Flows nest a few levels at most; the bound keeps a malformed flow graph from recursing forever. */
    private static final int MAX_DEPTH = 10;

    private StepConfigs() {
    }

    /** The config of the first enabled step in the realm's browser flow, or the defaults. */
    static GroupTotpConfig ofBrowserFlow(RealmModel realm) {
        AuthenticationFlowModel browserFlow = realm.getBrowserFlow();
        if (browserFlow == null) {
            return GroupTotpConfig.DEFAULTS;
        }
        return find(realm, browserFlow.getId(), 0)
                .map(config -> GroupTotpConfig.from(config.getConfig()))
                .orElse(GroupTotpConfig.DEFAULTS);
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
            } else if (GroupTotpAuthenticatorFactory.PROVIDER_ID.equals(execution.getAuthenticator())
                    && execution.getAuthenticatorConfig() != null) {
                return Optional.ofNullable(realm.getAuthenticatorConfigById(execution.getAuthenticatorConfig()));
            }
        }
        return Optional.empty();
    }
}

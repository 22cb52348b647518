package io.github.grouptotp.keycloak.flow;

import org.jboss.logging.Logger;
import org.keycloak.authentication.AuthenticationFlowContext;
import org.keycloak.models.AuthenticatorConfigModel;

import io.github.grouptotp.keycloak.ResolvedGroups;
import io.github.grouptotp.keycloak.guard.LogOnce;
import io.github.grouptotp.policy.GroupTotpConfig;
import io.github.grouptotp.policy.GroupTotpPolicy;
import io.github.grouptotp.policy.PolicyDecision;

/** Translates a flow context into the policy core's input, for the browser step and the direct-grant step. */
final class FlowPolicy {

    private static final Logger LOG = Logger.getLogger(FlowPolicy.class);

    private FlowPolicy() {
    }

    /**
     * The step's typed config; unusable values were replaced by safe ones. Each problem is logged as an error at most
     * once per realm and flow every 10 minutes, so a broken config does not flood the log at every login.
     */
    static GroupTotpConfig config(AuthenticationFlowContext context) {
        AuthenticatorConfigModel configModel = context.getAuthenticatorConfig();
        GroupTotpConfig config = GroupTotpConfig.from(configModel == null ? null : configModel.getConfig());
        for (String problem : config.problems()) {
            if (due(context, problem)) {
                LOG.errorf("Group TOTP policy in flow '%s' of realm '%s' has unusable settings: %s",
                        context.getTopLevelFlow().getAlias(), context.getRealm().getName(), problem);
            }
        }
        return config;
    }

    static PolicyDecision decide(AuthenticationFlowContext context, GroupTotpConfig config) {
        PolicyDecision decision = new GroupTotpPolicy(config)
                .decide(new ResolvedGroups(context.getSession(), context.getRealm()).membershipsOf(context.getUser()));
        if (!decision.unknownGroups().isEmpty() && due(context, "unknown groups " + decision.unknownGroups())) {
            LOG.errorf("Group TOTP policy in flow '%s' of realm '%s' names groups that do not exist: %s. "
                            + "A missing required group makes users outside the optional and exempt groups required.",
                    context.getTopLevelFlow().getAlias(), context.getRealm().getName(), decision.unknownGroups());
        }
        return decision;
    }

    private static boolean due(AuthenticationFlowContext context, String problem) {
        return LogOnce.due(context.getSession(), "config::" + context.getRealm().getId() + "::"
                + context.getTopLevelFlow().getId() + "::" + problem);
    }
}

package io.github.grouptotp.keycloak.flow;

import org.jboss.logging.Logger;
import org.keycloak.authentication.AuthenticationFlowContext;
import org.keycloak.models.AuthenticatorConfigModel;
import org.keycloak.models.RealmModel;
import org.keycloak.models.UserModel;

import io.github.grouptotp.keycloak.ResolvedGroups;
import io.github.grouptotp.policy.GroupTotpConfig;
import io.github.grouptotp.policy.GroupTotpPolicy;
import io.github.grouptotp.policy.PolicyDecision;

/** Translates a flow context into the policy core's input, for the browser step and the direct-grant step. */
final class FlowPolicy {

    private static final Logger LOG = Logger.getLogger(FlowPolicy.class);

    /** Set once config problems and unknown groups were logged for this login. */
    static final String CONFIG_LOGGED_NOTE = "group-totp.config-logged";

    private FlowPolicy() {
    }

    /** The step's typed config; unusable values were replaced by safe ones and are logged once per login. */
    static GroupTotpConfig config(AuthenticationFlowContext context) {
        AuthenticatorConfigModel configModel = context.getAuthenticatorConfig();
        GroupTotpConfig config = GroupTotpConfig.from(configModel == null ? null : configModel.getConfig());
        if (!config.problems().isEmpty() && firstLogOfThisLogin(context)) {
            LOG.errorf("Group TOTP policy in flow '%s' of realm '%s' has unusable settings: %s",
                    context.getTopLevelFlow().getAlias(), context.getRealm().getName(), String.join("; ", config.problems()));
        }
        return config;
    }

    static boolean firstLogOfThisLogin(AuthenticationFlowContext context) {
        return context.getAuthenticationSession().getAuthNote(CONFIG_LOGGED_NOTE) == null;
    }

    static PolicyDecision decide(AuthenticationFlowContext context, GroupTotpConfig config) {
        RealmModel realm = context.getRealm();
        UserModel user = context.getUser();

        PolicyDecision decision = new GroupTotpPolicy(config)
                .decide(new ResolvedGroups(context.getSession(), realm).membershipsOf(user));

        if (!decision.unknownGroups().isEmpty() && firstLogOfThisLogin(context)) {
            LOG.errorf("Group TOTP policy in flow '%s' of realm '%s' names groups that do not exist: %s. "
                            + "A missing required group makes users outside the optional and exempt groups required. "
                            + "User %s was treated as %s.",
                    context.getTopLevelFlow().getAlias(), realm.getName(), decision.unknownGroups(),
                    user.getId(), decision.mode());
        }
        context.getAuthenticationSession().setAuthNote(CONFIG_LOGGED_NOTE, "true");
        return decision;
    }

}

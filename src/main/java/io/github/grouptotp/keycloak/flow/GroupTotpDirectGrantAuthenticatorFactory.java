package io.github.grouptotp.keycloak.flow;

import java.util.List;

import org.keycloak.authentication.Authenticator;
import org.keycloak.models.KeycloakSession;
import org.keycloak.provider.ProviderConfigProperty;

/** Registers "Group TOTP policy (direct grant)" ({@value #PROVIDER_ID}) for direct grant flows. */
public class GroupTotpDirectGrantAuthenticatorFactory extends AbstractGroupTotpAuthenticatorFactory {

    public static final String PROVIDER_ID = "group-totp-direct-grant";

    private static final GroupTotpDirectGrantAuthenticator SINGLETON = new GroupTotpDirectGrantAuthenticator();

    @Override
    public String getId() {
        return PROVIDER_ID;
    }

    @Override
    public String getDisplayType() {
        return "Group TOTP policy (direct grant)";
    }

    @Override
    public String getHelpText() {
        return "Requires the 'totp' parameter from required or enrolled users in the direct grant flow, by group "
                + "membership. Place it after the password validation and set it to Required; use the same groups "
                + "as the browser flow's step.";
    }

    /** The same group keys as the browser step; the other keys are ignored here. */
    @Override
    public List<ProviderConfigProperty> getConfigProperties() {
        return GroupTotpConfigProperties.GROUP_PROPERTIES;
    }

    @Override
    public Authenticator create(KeycloakSession session) {
        return SINGLETON;
    }
}

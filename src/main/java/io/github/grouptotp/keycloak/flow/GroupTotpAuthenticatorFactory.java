package io.github.grouptotp.keycloak.flow;

import java.util.List;

import org.keycloak.authentication.Authenticator;
import org.keycloak.models.KeycloakSession;
import org.keycloak.models.KeycloakSessionFactory;
import org.keycloak.provider.ProviderConfigProperty;

import io.github.grouptotp.keycloak.KeycloakApi;
import io.github.grouptotp.keycloak.StepConfigs;

/** Registers the "Group TOTP policy" step ({@value #PROVIDER_ID}) for browser flows. */
public class GroupTotpAuthenticatorFactory extends AbstractGroupTotpAuthenticatorFactory {

    public static final String PROVIDER_ID = StepConfigs.BROWSER_STEP_ID;

    private static final GroupTotpAuthenticator SINGLETON = new GroupTotpAuthenticator();

    @Override
    public String getId() {
        return PROVIDER_ID;
    }

    @Override
    public String getDisplayType() {
        return "Group TOTP policy";
    }

    @Override
    public String getHelpText() {
        return "Asks for an authenticator app code, or enrols the user, depending on group membership. "
                + "Place it after the username/password form and set it to Required.";
    }

    @Override
    public List<ProviderConfigProperty> getConfigProperties() {
        return GroupTotpConfigProperties.PROPERTIES;
    }

    /** Once at start-up: says so in the log when this Keycloak is not one the JAR is made for. */
    @Override
    public void postInit(KeycloakSessionFactory factory) {
        KeycloakApi.checkVersion();
    }

    @Override
    public Authenticator create(KeycloakSession session) {
        return SINGLETON;
    }
}

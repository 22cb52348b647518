package io.github.grouptotp.keycloak;

import java.util.List;

import org.keycloak.Config;
import org.keycloak.authentication.Authenticator;
import org.keycloak.authentication.AuthenticatorFactory;
import org.keycloak.models.AuthenticationExecutionModel;
import org.keycloak.models.KeycloakSession;
import org.keycloak.models.KeycloakSessionFactory;
import org.keycloak.models.credential.OTPCredentialModel;
import org.keycloak.provider.ProviderConfigProperty;

/** Registers the "Group TOTP policy" step ({@value #PROVIDER_ID}) for browser flows. */
public class GroupTotpAuthenticatorFactory implements AuthenticatorFactory {

    public static final String PROVIDER_ID = "group-totp";

    private static final AuthenticationExecutionModel.Requirement[] REQUIREMENT_CHOICES = {
            AuthenticationExecutionModel.Requirement.REQUIRED,
            AuthenticationExecutionModel.Requirement.DISABLED
    };

    private static final GroupTotpAuthenticator SINGLETON = new GroupTotpAuthenticator();

    @Override
    public String getId() {
        return PROVIDER_ID;
    }

    @Override
    public String getDisplayType() {
        return "Group TOTP policy";
    }

    /** "otp" makes Keycloak's brute-force protector count wrong codes entered at this step. */
    @Override
    public String getReferenceCategory() {
        return OTPCredentialModel.TYPE;
    }

    @Override
    public boolean isConfigurable() {
        return true;
    }

    @Override
    public AuthenticationExecutionModel.Requirement[] getRequirementChoices() {
        return REQUIREMENT_CHOICES;
    }

    /** The step enrols users itself, on its own page; it never hands off to Keycloak's required actions. */
    @Override
    public boolean isUserSetupAllowed() {
        return false;
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

    @Override
    public Authenticator create(KeycloakSession session) {
        return SINGLETON;
    }

    @Override
    public void init(Config.Scope config) {
    }

    @Override
    public void postInit(KeycloakSessionFactory factory) {
    }

    @Override
    public void close() {
    }
}

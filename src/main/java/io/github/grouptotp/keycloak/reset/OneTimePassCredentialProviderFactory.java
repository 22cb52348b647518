package io.github.grouptotp.keycloak.reset;

import io.github.grouptotp.keycloak.credentials.ExtensionCredentialProviderFactory;

/** Makes the reset's one-time pass ({@value OneTimePass#CREDENTIAL_TYPE}) a credential type Keycloak knows. */
public class OneTimePassCredentialProviderFactory extends ExtensionCredentialProviderFactory {

    public OneTimePassCredentialProviderFactory() {
        super(OneTimePass.CREDENTIAL_TYPE);
    }
}

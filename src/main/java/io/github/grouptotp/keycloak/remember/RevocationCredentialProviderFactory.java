package io.github.grouptotp.keycloak.remember;

import io.github.grouptotp.keycloak.credentials.ExtensionCredentialProviderFactory;

/** Makes the revocation record ({@value Revocations#CREDENTIAL_TYPE}) a credential type Keycloak knows. */
public class RevocationCredentialProviderFactory extends ExtensionCredentialProviderFactory {

    public RevocationCredentialProviderFactory() {
        super(Revocations.CREDENTIAL_TYPE);
    }
}

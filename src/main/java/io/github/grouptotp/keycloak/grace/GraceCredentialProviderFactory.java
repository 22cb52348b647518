package io.github.grouptotp.keycloak.grace;

import io.github.grouptotp.keycloak.credentials.ExtensionCredentialProviderFactory;

/** Makes the grace record ({@value GraceStore#CREDENTIAL_TYPE}) a credential type Keycloak knows. */
public class GraceCredentialProviderFactory extends ExtensionCredentialProviderFactory {

    public GraceCredentialProviderFactory() {
        super(GraceStore.CREDENTIAL_TYPE);
    }
}

package io.github.grouptotp.keycloak.grace;

import org.keycloak.credential.CredentialProviderFactory;
import org.keycloak.models.KeycloakSession;

import io.github.grouptotp.keycloak.ExtensionCredentialProvider;

/** Makes the grace record ({@value GraceStore#CREDENTIAL_TYPE}) a credential type Keycloak knows. */
public class GraceCredentialProviderFactory implements CredentialProviderFactory<ExtensionCredentialProvider> {

    @Override
    public ExtensionCredentialProvider create(KeycloakSession session) {
        return new ExtensionCredentialProvider(session, GraceStore.CREDENTIAL_TYPE);
    }

    @Override
    public String getId() {
        return GraceStore.CREDENTIAL_TYPE;
    }
}

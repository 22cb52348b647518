package io.github.grouptotp.keycloak.remember;

import org.keycloak.credential.CredentialProviderFactory;
import org.keycloak.models.KeycloakSession;

import io.github.grouptotp.keycloak.ExtensionCredentialProvider;

/** Makes the revocation record ({@value Revocations#CREDENTIAL_TYPE}) a credential type Keycloak knows. */
public class RevocationCredentialProviderFactory implements CredentialProviderFactory<ExtensionCredentialProvider> {

    @Override
    public ExtensionCredentialProvider create(KeycloakSession session) {
        return new ExtensionCredentialProvider(session, Revocations.CREDENTIAL_TYPE);
    }

    @Override
    public String getId() {
        return Revocations.CREDENTIAL_TYPE;
    }
}

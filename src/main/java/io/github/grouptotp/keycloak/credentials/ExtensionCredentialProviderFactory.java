package io.github.grouptotp.keycloak.credentials;

import org.keycloak.credential.CredentialProviderFactory;
import org.keycloak.models.KeycloakSession;

/**
 * Registers one of the extension's own credential types ({@link ExtensionCredentialProvider}); Keycloak's service
 * loader needs a class per type, so each type has a one-line subclass next to the code that writes it.
 */
public abstract class ExtensionCredentialProviderFactory implements CredentialProviderFactory<ExtensionCredentialProvider> {

    private final String type;

    protected ExtensionCredentialProviderFactory(String type) {
        this.type = type;
    }

    @Override
    public ExtensionCredentialProvider create(KeycloakSession session) {
        return new ExtensionCredentialProvider(session, type);
    }

    @Override
    public String getId() {
        return type;
    }
}

package io.github.grouptotp.keycloak.grace;

import org.keycloak.credential.CredentialProviderFactory;
import org.keycloak.models.KeycloakSession;

/** Registers {@link GraceCredentialProvider}. */
public class GraceCredentialProviderFactory implements CredentialProviderFactory<GraceCredentialProvider> {

    public static final String PROVIDER_ID = "group-totp-grace";

    @Override
    public GraceCredentialProvider create(KeycloakSession session) {
        return new GraceCredentialProvider(session);
    }

    @Override
    public String getId() {
        return PROVIDER_ID;
    }
}

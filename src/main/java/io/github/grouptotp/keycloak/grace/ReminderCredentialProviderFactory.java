package io.github.grouptotp.keycloak.grace;

import org.keycloak.credential.CredentialProviderFactory;
import org.keycloak.models.KeycloakSession;

import io.github.grouptotp.keycloak.ExtensionCredentialProvider;

/** Makes the reminder record ({@value ReminderRecord#CREDENTIAL_TYPE}) a credential type Keycloak knows. */
public class ReminderCredentialProviderFactory implements CredentialProviderFactory<ExtensionCredentialProvider> {

    @Override
    public ExtensionCredentialProvider create(KeycloakSession session) {
        return new ExtensionCredentialProvider(session, ReminderRecord.CREDENTIAL_TYPE);
    }

    @Override
    public String getId() {
        return ReminderRecord.CREDENTIAL_TYPE;
    }
}

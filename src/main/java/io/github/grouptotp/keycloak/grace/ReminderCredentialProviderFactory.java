package io.github.grouptotp.keycloak.grace;

import io.github.grouptotp.keycloak.ExtensionCredentialProviderFactory;

/** Makes the reminder record ({@value ReminderRecord#CREDENTIAL_TYPE}) a credential type Keycloak knows. */
public class ReminderCredentialProviderFactory extends ExtensionCredentialProviderFactory {

    public ReminderCredentialProviderFactory() {
        super(ReminderRecord.CREDENTIAL_TYPE);
    }
}

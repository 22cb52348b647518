package io.github.grouptotp.keycloak.remind;

import io.github.grouptotp.keycloak.credentials.ExtensionCredentialProviderFactory;
import io.github.grouptotp.keycloak.grace.ReminderRecord;

/** Makes the reminder record ({@value ReminderRecord#CREDENTIAL_TYPE}) a credential type Keycloak knows. */
public class ReminderCredentialProviderFactory extends ExtensionCredentialProviderFactory {

    public ReminderCredentialProviderFactory() {
        super(ReminderRecord.CREDENTIAL_TYPE);
    }
}

package io.github.grouptotp.keycloak.enrolment;

import io.github.grouptotp.keycloak.credentials.ExtensionCredentialProviderFactory;

/** Makes the record of a user's second factor ({@value SecondFactors#CREDENTIAL_TYPE}) a credential type Keycloak knows. */
public class SecondFactorCredentialProviderFactory extends ExtensionCredentialProviderFactory {

    public SecondFactorCredentialProviderFactory() {
        super(SecondFactors.CREDENTIAL_TYPE);
    }
}

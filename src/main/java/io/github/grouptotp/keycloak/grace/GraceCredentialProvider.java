package io.github.grouptotp.keycloak.grace;

import org.keycloak.credential.CredentialModel;
import org.keycloak.credential.CredentialProvider;
import org.keycloak.credential.CredentialTypeMetadata;
import org.keycloak.credential.CredentialTypeMetadataContext;
import org.keycloak.models.KeycloakSession;
import org.keycloak.models.RealmModel;
import org.keycloak.models.UserModel;

/**
 * Makes the grace record a credential type Keycloak knows, for two reasons: realm and user imports store it (a
 * type without a provider is silently dropped on import, so a restored backup would hand out fresh grace), and
 * Keycloak refuses to let a user remove it ({@code removeable=false}: the account REST API and the
 * {@code delete_credential} action answer 400). No flow step uses the type, so the account console does not list it.
 */
public class GraceCredentialProvider implements CredentialProvider<CredentialModel> {

    private final KeycloakSession session;

    GraceCredentialProvider(KeycloakSession session) {
        this.session = session;
    }

    @Override
    public String getType() {
        return GraceStore.CREDENTIAL_TYPE;
    }

    @Override
    public CredentialModel createCredential(RealmModel realm, UserModel user, CredentialModel credential) {
        return user.credentialManager().createStoredCredential(credential);
    }

    @Override
    public boolean deleteCredential(RealmModel realm, UserModel user, String credentialId) {
        return user.credentialManager().removeStoredCredentialById(credentialId);
    }

    @Override
    public CredentialModel getCredentialFromModel(CredentialModel model) {
        return model;
    }

    @Override
    public CredentialTypeMetadata getCredentialTypeMetadata(CredentialTypeMetadataContext metadataContext) {
        return CredentialTypeMetadata.builder()
                .type(getType())
                .category(CredentialTypeMetadata.Category.TWO_FACTOR)
                .displayName("groupTotp.graceCredential")
                .helpText("groupTotp.graceCredentialHelp")
                .iconCssClass("kcAuthenticatorOTPClass")
                .removeable(false)
                .build(session);
    }
}

package io.github.grouptotp.keycloak.credentials;

import org.keycloak.credential.CredentialModel;
import org.keycloak.credential.CredentialProvider;
import org.keycloak.credential.CredentialTypeMetadata;
import org.keycloak.credential.CredentialTypeMetadataContext;
import org.keycloak.models.KeycloakSession;
import org.keycloak.models.RealmModel;
import org.keycloak.models.UserModel;

/**
 * A credential type Keycloak knows, for what the extension keeps per user out of the user's reach (the grace
 * record, the reminders sent, the remembered-browser revocation, the hash of a reset's one-time pass): realm and user imports store it (a type without a provider is
 * silently dropped on import, so a restored backup would, e.g., hand out fresh grace), and Keycloak refuses to let
 * the user remove it ({@code removeable=false}: the account REST API and the {@code delete_credential} action
 * answer 400). No flow step uses these types, so the account console does not list them; admins see them under
 * Users > user > Credentials.
 */
public class ExtensionCredentialProvider implements CredentialProvider<CredentialModel> {

    private final KeycloakSession session;
    private final String type;

    public ExtensionCredentialProvider(KeycloakSession session, String type) {
        this.session = session;
        this.type = type;
    }

    @Override
    public String getType() {
        return type;
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
                .type(type)
                .category(CredentialTypeMetadata.Category.TWO_FACTOR)
                .displayName(type)
                .helpText("groupTotp.extensionCredentialHelp")
                .iconCssClass("kcAuthenticatorOTPClass")
                .removeable(false)
                .build(session);
    }
}

package io.github.grouptotp.keycloak.remember;

import org.jboss.logging.Logger;
import org.keycloak.events.Event;
import org.keycloak.events.EventListenerProvider;
import org.keycloak.events.EventType;
import org.keycloak.events.admin.AdminEvent;
import org.keycloak.events.admin.OperationType;
import org.keycloak.events.admin.ResourceType;
import org.keycloak.models.KeycloakSession;
import org.keycloak.models.RealmModel;
import org.keycloak.models.UserModel;

import io.github.grouptotp.keycloak.LoginRecord;

/**
 * Ends a user's remembered browsers on the two revocations Keycloak records nowhere in the user: a sign-out of
 * devices through the account console or account REST API (Keycloak reports it as LOGOUT events since 26.5), and an
 * admin disabling the user. A plain logout of one session (the OIDC logout endpoint) does not revoke.
 */
public class RevocationEventListener implements EventListenerProvider {

    private static final Logger LOG = Logger.getLogger(RevocationEventListener.class);
    private static final String ACCOUNT_SESSIONS = "/account/sessions";

    private final KeycloakSession session;

    RevocationEventListener(KeycloakSession session) {
        this.session = session;
    }

    @Override
    public void onEvent(Event event) {
        if (event.getType() == EventType.LOGOUT && event.getError() == null && event.getUserId() != null
                && fromTheAccountSessionsApi()) {
            revoke(event.getRealmId(), event.getUserId(), "signed out of devices");
        }
    }

    @Override
    public void onEvent(AdminEvent event, boolean includeRepresentation) {
        String path = event.getResourcePath();
        if (event.getResourceType() == ResourceType.USER && event.getOperationType() == OperationType.UPDATE
                && path != null && path.matches("users/[^/]+")) {
            RealmModel realm = session.realms().getRealm(event.getRealmId());
            UserModel user = realm == null ? null : session.users().getUserById(realm, path.substring("users/".length()));
            if (user != null && !user.isEnabled()) {
                revoke(event.getRealmId(), user.getId(), "disabled");
            }
        }
    }

    /** The account console's device list and the account REST API sign devices out at .../account/sessions. */
    private boolean fromTheAccountSessionsApi() {
        try {
            return session.getContext().getUri().getPath().contains(ACCOUNT_SESSIONS);
        } catch (RuntimeException noRequest) {
            return false;
        }
    }

    private void revoke(String realmId, String userId, String why) {
        RealmModel realm = session.realms().getRealm(realmId);
        UserModel user = realm == null ? null : session.users().getUserById(realm, userId);
        if (user != null) {
            Revocations.revokeAll(user, LoginRecord.now());
            LOG.debugf("user %s %s: remembered browsers revoked", userId, why);
        }
    }

    @Override
    public void close() {
    }
}

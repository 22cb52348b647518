package io.github.grouptotp.keycloak.events;

import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.jboss.logging.Logger;
import org.keycloak.events.Details;
import org.keycloak.events.Event;
import org.keycloak.events.EventListenerProvider;
import org.keycloak.events.EventType;
import org.keycloak.events.admin.AdminEvent;
import org.keycloak.events.admin.OperationType;
import org.keycloak.events.admin.ResourceType;
import org.keycloak.models.KeycloakSession;
import org.keycloak.models.RealmModel;
import org.keycloak.models.UserModel;
import org.keycloak.models.credential.OTPCredentialModel;
import org.keycloak.sessions.AuthenticationSessionModel;

import io.github.grouptotp.keycloak.LoginRecord;
import io.github.grouptotp.keycloak.enrolment.SecondFactors;
import io.github.grouptotp.keycloak.remember.Revocations;

/**
 * Hears what Keycloak records nowhere in the user, for the two records that depend on it:
 * <ul>
 *   <li>remembered browsers end at a sign-out of devices through the account console or account REST API (Keycloak
 *       reports it as LOGOUT events since 26.5) and when an admin disables the user; a plain logout of one session
 *       (the OIDC logout endpoint) does not revoke;</li>
 *   <li>the record that a user had a second factor ({@link SecondFactors}) goes when an admin removes the user's last
 *       factor (a trusted reset: the next login sets up a new one with the password), or when the user removes it in a
 *       login that gave a fresh proof; and is stamped when Keycloak's own actions set one up.</li>
 * </ul>
 */
public class GroupTotpEventListener implements EventListenerProvider {

    private static final Logger LOG = Logger.getLogger(GroupTotpEventListener.class);
    private static final String ACCOUNT_SESSIONS = "/account/sessions";
    private static final Pattern USER = Pattern.compile("users/([^/]+)");
    /** An admin's removal of credentials: one (Credentials > Delete) or all of a type ("disable credential types"). */
    private static final Pattern CREDENTIAL_REMOVAL = Pattern.compile("users/([^/]+)/(credentials/[^/]+|disable-credential-types)");

    private final KeycloakSession session;

    GroupTotpEventListener(KeycloakSession session) {
        this.session = session;
    }

    @Override
    public void onEvent(Event event) {
        if (event.getError() != null || event.getUserId() == null) {
            return;
        }
        if (event.getType() == EventType.LOGOUT && fromTheAccountSessionsApi()) {
            user(event.getRealmId(), event.getUserId()).ifPresent(user -> revoke(user, "signed out of devices"));
        } else if (event.getType() == EventType.REMOVE_CREDENTIAL && provenInThisLogin()) {
            user(event.getRealmId(), event.getUserId()).filter(user -> !SecondFactors.has(user)).ifPresent(SecondFactors::forget);
        } else if (event.getType() == EventType.UPDATE_CREDENTIAL && event.getDetails() != null
                && OTPCredentialModel.TYPE.equals(event.getDetails().get(Details.CREDENTIAL_TYPE))) {
            user(event.getRealmId(), event.getUserId()).filter(SecondFactors::has).ifPresent(SecondFactors::noteIfMissing);
        }
    }

    @Override
    public void onEvent(AdminEvent event, boolean includeRepresentation) {
        String path = event.getResourcePath();
        if (event.getResourceType() != ResourceType.USER || path == null) {
            return;
        }
        Matcher removal = CREDENTIAL_REMOVAL.matcher(path);
        Matcher updated = USER.matcher(path);
        if (removal.matches() && event.getOperationType() != OperationType.CREATE) {
            user(event.getRealmId(), removal.group(1)).filter(user -> !SecondFactors.has(user)).ifPresent(user -> {
                SecondFactors.forget(user);
                LOG.debugf("user %s: an admin removed the last second factor", user.getId());
            });
        } else if (updated.matches() && event.getOperationType() == OperationType.UPDATE) {
            user(event.getRealmId(), updated.group(1)).filter(user -> !user.isEnabled()).ifPresent(user -> revoke(user, "disabled"));
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

    /** Whether the event comes from a login (e.g. Keycloak's delete_credential action) that gave a fresh proof. */
    private boolean provenInThisLogin() {
        AuthenticationSessionModel authSession = session.getContext().getAuthenticationSession();
        return authSession != null && LoginRecord.of(authSession).proof().isPresent();
    }

    private java.util.Optional<UserModel> user(String realmId, String userId) {
        RealmModel realm = session.realms().getRealm(realmId);
        return java.util.Optional.ofNullable(realm == null ? null : session.users().getUserById(realm, userId));
    }

    private static void revoke(UserModel user, String why) {
        Revocations.revokeAll(user, LoginRecord.now());
        LOG.debugf("user %s %s: remembered browsers revoked", user.getId(), why);
    }

    @Override
    public void close() {
    }
}

package io.github.grouptotp.keycloak;

import jakarta.ws.rs.core.MultivaluedMap;
import jakarta.ws.rs.core.UriBuilder;

import org.keycloak.authentication.AuthenticationFlowContext;
import org.keycloak.authentication.RequiredActionContext;
import org.keycloak.common.ClientConnection;
import org.keycloak.events.EventBuilder;
import org.keycloak.forms.login.LoginFormsProvider;
import org.keycloak.models.KeycloakSession;
import org.keycloak.models.RealmModel;
import org.keycloak.models.UserModel;
import org.keycloak.sessions.AuthenticationSessionModel;

/**
 * One request of a login, as the flow step and the reset required action both see it, so that the enrolment and
 * the code checks they share take one kind of argument.
 */
public final class LoginRequest {

    private final KeycloakSession session;
    private final RealmModel realm;
    private final UserModel user;
    private final AuthenticationSessionModel authSession;
    private final EventBuilder event;
    private final LoginForms forms;
    private final UriBuilder requestUri;
    private final ClientConnection connection;

    /** {@code form()} of either context: a fresh form provider that posts back to this step or action. */
    @FunctionalInterface
    private interface LoginForms {
        LoginFormsProvider form();
    }

    private LoginRequest(KeycloakSession session, RealmModel realm, UserModel user, AuthenticationSessionModel authSession,
                         EventBuilder event, LoginForms forms, UriBuilder requestUri, ClientConnection connection) {
        this.session = session;
        this.realm = realm;
        this.user = user;
        this.authSession = authSession;
        this.event = event;
        this.forms = forms;
        this.requestUri = requestUri;
        this.connection = connection;
    }

    public static LoginRequest of(AuthenticationFlowContext context) {
        return new LoginRequest(context.getSession(), context.getRealm(), context.getUser(), context.getAuthenticationSession(),
                context.getEvent(), context::form, context.getUriInfo().getRequestUriBuilder(), context.getConnection());
    }

    public static LoginRequest of(RequiredActionContext context) {
        return new LoginRequest(context.getSession(), context.getRealm(), context.getUser(), context.getAuthenticationSession(),
                context.getEvent(), context::form, context.getUriInfo().getRequestUriBuilder(), context.getConnection());
    }

    public KeycloakSession session() {
        return session;
    }

    public RealmModel realm() {
        return realm;
    }

    public UserModel user() {
        return user;
    }

    public AuthenticationSessionModel authSession() {
        return authSession;
    }

    /** The event that becomes this request's LOGIN (flow) or required-action event. */
    public EventBuilder event() {
        return event;
    }

    public LoginFormsProvider form() {
        return forms.form();
    }

    public UriBuilder requestUri() {
        return requestUri;
    }

    public ClientConnection connection() {
        return connection;
    }

    public LoginRecord record() {
        return LoginRecord.of(authSession);
    }

    /** A field of the posted form, or null. */
    public String formValue(String field) {
        MultivaluedMap<String, String> form = session.getContext().getHttpRequest().getDecodedFormParameters();
        return form == null ? null : form.getFirst(field);
    }

    public boolean formHas(String field) {
        MultivaluedMap<String, String> form = session.getContext().getHttpRequest().getDecodedFormParameters();
        return form != null && form.containsKey(field);
    }
}

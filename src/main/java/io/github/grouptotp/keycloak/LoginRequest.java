package io.github.grouptotp.keycloak;

import jakarta.ws.rs.core.MultivaluedMap;
import jakarta.ws.rs.core.UriBuilder;
import jakarta.ws.rs.core.UriInfo;

import org.keycloak.authentication.AuthenticationFlowContext;
import org.keycloak.authentication.RequiredActionContext;
import org.keycloak.common.ClientConnection;
import org.keycloak.events.EventBuilder;
import org.keycloak.events.EventType;
import org.keycloak.forms.login.LoginFormsProvider;
import org.keycloak.models.KeycloakSession;
import org.keycloak.models.RealmModel;
import org.keycloak.models.UserModel;
import org.keycloak.sessions.AuthenticationSessionModel;

import io.github.grouptotp.policy.GroupTotpConfig;

/**
 * One request of a login, as every route sees it (the browser step, the direct-grant step and the required actions),
 * with the step's settings for this login read once: the page handlers, the guard and the enrolment take this one
 * kind of argument.
 */
public final class LoginRequest {

    private final KeycloakSession session;
    private final RealmModel realm;
    private final UserModel user;
    private final AuthenticationSessionModel authSession;
    private final EventBuilder event;
    private final boolean inFlow;
    private final LoginForms forms;
    private final UriInfo uriInfo;
    private final ClientConnection connection;
    private final GroupTotpConfig config;
    private final String flowPath;

    /** {@code form()} of either context: a fresh form provider that posts back to this step or action. */
    @FunctionalInterface
    private interface LoginForms {
        LoginFormsProvider form();
    }

    private LoginRequest(KeycloakSession session, RealmModel realm, UserModel user, AuthenticationSessionModel authSession,
                         EventBuilder event, boolean inFlow, LoginForms forms, UriInfo uriInfo, ClientConnection connection,
                         GroupTotpConfig config, String flowPath) {
        this.session = session;
        this.realm = realm;
        this.user = user;
        this.authSession = authSession;
        this.event = event;
        this.inFlow = inFlow;
        this.forms = forms;
        this.uriInfo = uriInfo;
        this.connection = connection;
        this.config = config;
        this.flowPath = flowPath;
    }

    public static LoginRequest of(AuthenticationFlowContext context, GroupTotpConfig config) {
        return new LoginRequest(context.getSession(), context.getRealm(), context.getUser(), context.getAuthenticationSession(),
                context.getEvent(), true, context::form, context.getUriInfo(), context.getConnection(), config, context.getFlowPath());
    }

    public static LoginRequest of(RequiredActionContext context, GroupTotpConfig config) {
        return new LoginRequest(context.getSession(), context.getRealm(), context.getUser(), context.getAuthenticationSession(),
                context.getEvent(), false, context::form, context.getUriInfo(), context.getConnection(), config, null);
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

    /** The step's settings that apply to this login. */
    public GroupTotpConfig config() {
        return config;
    }

    /** Which of Keycloak's flows runs the step ({@code authenticate}, {@code reset-credentials}, ...); null in a required action. */
    public String flowPath() {
        return flowPath;
    }

    /** The event that becomes this request's LOGIN (flow) or required-action event. */
    public EventBuilder event() {
        return event;
    }

    /**
     * The builder for a refused secret's {@code LOGIN_ERROR}: in a flow the request's own LOGIN event (as Keycloak's
     * authenticators do), in a required action a LOGIN copy of the action's event.
     */
    public EventBuilder loginErrorEvent() {
        return (inFlow ? event : event.clone().event(EventType.LOGIN)).user(user);
    }

    public LoginFormsProvider form() {
        return forms.form();
    }

    public UriBuilder requestUri() {
        return uriInfo.getRequestUriBuilder();
    }

    public UriInfo uriInfo() {
        return uriInfo;
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

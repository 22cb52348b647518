package io.github.grouptotp.keycloak.webauthn;

import java.lang.reflect.InvocationHandler;
import java.lang.reflect.Method;
import java.lang.reflect.Proxy;
import java.util.Map;
import java.util.Optional;

import jakarta.ws.rs.core.Response;

import org.jboss.logging.Logger;
import org.keycloak.authentication.AuthenticationFlowContext;
import org.keycloak.authentication.RequiredActionContext;
import org.keycloak.authentication.RequiredActionProvider;
import org.keycloak.authentication.authenticators.browser.WebAuthnAuthenticator;
import org.keycloak.authentication.authenticators.browser.WebAuthnPasswordlessAuthenticator;
import org.keycloak.events.EventBuilder;
import org.keycloak.events.EventType;
import org.keycloak.forms.login.LoginFormsProvider;
import org.keycloak.models.UserModel;

import io.github.grouptotp.keycloak.LoginRequest;
import io.github.grouptotp.policy.SecondFactor;

/**
 * Keycloak's own WebAuthn authenticators, run inside the step for a security key ({@link WebAuthnAuthenticator}) or a
 * passkey ({@link WebAuthnPasswordlessAuthenticator}): Keycloak builds its page (challenge, relying party, the user's
 * credentials) and checks the answer (origin, challenge, signature, counter, the user handle); and Keycloak's own
 * registration of a new one (its required actions {@code webauthn-register} and {@code webauthn-register-passwordless}). They talk to a flow
 * context; this one hands them the step's request and keeps what they decide instead of passing it to the flow, so
 * the step applies its own rules (the per-login cap, the per-user limit, the proof) before anything passes.
 */
public final class KeycloakWebAuthn {

    /**
     * What Keycloak's authenticator decided about a posted answer.
     *
     * @param valid   it called {@code success} for the step's own user
     * @param details the event details it wrote (credential type, key id, its error), for the step's own event
     */
    public record Verdict(boolean valid, Map<String, String> details) {
    }

    private static final Logger LOG = Logger.getLogger(KeycloakWebAuthn.class);

    private KeycloakWebAuthn() {
    }

    /** Keycloak's WebAuthn login page for the user's factor, on this form; empty if the user has no such credential. */
    public static Optional<Response> page(LoginRequest request, SecondFactor factor, LoginFormsProvider form) {
        Captured captured = new Captured(request, form);
        authenticator(request, factor).authenticate(captured.context());
        return Optional.ofNullable(captured.page);
    }

    /** Keycloak's check of the posted WebAuthn answer for the user's factor. */
    public static Verdict verify(LoginRequest request, SecondFactor factor) {
        Captured captured = new Captured(request, null);
        try {
            authenticator(request, factor).action(captured.context());
        } catch (RuntimeException unexpected) {
            // Input Keycloak's authenticator takes a route with that this context does not serve (e.g. a username
            // posted to the passkey page): refused as any wrong answer, never a server error.
            LOG.debugf("user %s: WebAuthn answer not checked (%s)", request.user().getId(), unexpected.getClass().getSimpleName());
            return new Verdict(false, Map.of());
        }
        Map<String, String> details = captured.event.getEvent().getDetails();
        return new Verdict(captured.succeeded && captured.sameUser, details == null ? Map.of() : Map.copyOf(details));
    }

    /** Keycloak's registration page of a new security key or passkey for the user (its required action's page), on this form. */
    public static Optional<Response> registrationPage(LoginRequest request, SecondFactor factor, LoginFormsProvider form) {
        Captured captured = new Captured(request, form);
        registration(request, factor).requiredActionChallenge(captured.actionContext(factor));
        return Optional.ofNullable(captured.page);
    }

    /**
     * Keycloak's check and storing of the posted registration (attestation, origin, challenge, the realm's WebAuthn
     * policy), with its own UPDATE_CREDENTIAL event; valid when Keycloak stored the new credential.
     */
    public static Verdict register(LoginRequest request, SecondFactor factor) {
        Captured captured = new Captured(request, null, request.event().clone().event(EventType.UPDATE_CREDENTIAL));
        registration(request, factor).processAction(captured.actionContext(factor));
        return new Verdict(captured.succeeded, Map.of());
    }

    /** Keycloak's required action that registers this factor ({@code webauthn-register}, {@code webauthn-register-passwordless}). */
    public static String registrationAction(SecondFactor factor) {
        return switch (factor) {
            case WEBAUTHN -> "webauthn-register";
            case PASSKEY -> "webauthn-register-passwordless";
            case OTP -> throw new IllegalArgumentException("an authenticator app is set up with the step's QR page");
        };
    }

    private static RequiredActionProvider registration(LoginRequest request, SecondFactor factor) {
        return request.session().getProvider(RequiredActionProvider.class, registrationAction(factor));
    }

    private static WebAuthnAuthenticator authenticator(LoginRequest request, SecondFactor factor) {
        return switch (factor) {
            case WEBAUTHN -> new WebAuthnAuthenticator(request.session());
            case PASSKEY -> new WebAuthnPasswordlessAuthenticator(request.session());
            case OTP -> throw new IllegalArgumentException("an authenticator app has no WebAuthn page");
        };
    }

    /**
     * A flow context that answers from the step's request and keeps the authenticator's decision: a page, a success,
     * anything else (a failure, "attempted", a cancelled login, a switched user) is no success. A method the
     * authenticators are not known to call fails loudly instead of guessing.
     */
    private static final class Captured implements InvocationHandler {

        private final LoginRequest request;
        private final LoginFormsProvider form;
        private final EventBuilder event;
        private String action;
        private Response page;
        private boolean succeeded;
        private boolean sameUser = true;

        Captured(LoginRequest request, LoginFormsProvider form) {
            this(request, form, new RecordedEvent(request));
        }

        Captured(LoginRequest request, LoginFormsProvider form, EventBuilder event) {
            this.request = request;
            this.form = form;
            this.event = event;
        }

        RequiredActionContext actionContext(SecondFactor factor) {
            action = registrationAction(factor);
            return (RequiredActionContext) Proxy.newProxyInstance(KeycloakWebAuthn.class.getClassLoader(),
                    new Class<?>[] {RequiredActionContext.class}, this);
        }

        AuthenticationFlowContext context() {
            return (AuthenticationFlowContext) Proxy.newProxyInstance(KeycloakWebAuthn.class.getClassLoader(),
                    new Class<?>[] {AuthenticationFlowContext.class}, this);
        }

        @Override
        public Object invoke(Object proxy, Method method, Object[] args) {
            switch (method.getName()) {
                case "getUser": return request.user();
                case "getRealm": return request.realm();
                case "getSession": return request.session();
                case "getAuthenticationSession": return request.authSession();
                case "getUriInfo": return request.uriInfo();
                case "getConnection": return request.connection();
                case "getHttpRequest": return request.session().getContext().getHttpRequest();
                case "getFlowPath": return request.flowPath();
                case "getAuthenticatorConfig": case "getConfig": return null;
                case "getAction": return action;
                case "getEvent": case "newEvent": return event;
                case "form": return form != null ? form : request.form();
                case "setUser":
                    sameUser &= ((UserModel) args[0]).getId().equals(request.user().getId());
                    return null;
                case "challenge": case "forceChallenge":
                    page = (Response) args[0];
                    return null;
                case "failure": case "failureChallenge": case "ignore":
                    succeeded = false;
                    page = args != null && args.length > 1 && args[1] instanceof Response response ? response : null;
                    return null;
                case "success":
                    succeeded = true;
                    return null;
                case "attempted": case "cancelLogin": case "clearUser": case "resetFlow": case "cancel":
                    succeeded = false;
                    sameUser = false;
                    return null;
                case "toString": return "step context for Keycloak's WebAuthn authenticator";
                case "hashCode": return System.identityHashCode(proxy);
                case "equals": return proxy == args[0];
                default: throw new UnsupportedOperationException("not available to WebAuthn inside the step: " + method.getName());
            }
        }
    }

    /**
     * The authenticator's event: its details are kept for the step's own LOGIN or LOGIN_ERROR event, and nothing is
     * sent, so a refused key is reported once, by the step's guard, as every other refused secret is.
     */
    private static final class RecordedEvent extends EventBuilder {

        RecordedEvent(LoginRequest request) {
            super(request.realm(), request.session());
        }

        @Override
        public void success() {
            // recorded only
        }

        @Override
        public void error(String error) {
            getEvent().setError(error);
        }

        @Override
        public EventBuilder clone() {
            return this;
        }
    }
}

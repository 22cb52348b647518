package io.github.grouptotp.keycloak.flow;

import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

import org.jboss.logging.Logger;
import org.keycloak.authentication.AuthenticationFlowContext;
import org.keycloak.authentication.Authenticator;
import org.keycloak.events.Errors;
import org.keycloak.models.KeycloakSession;
import org.keycloak.models.RealmModel;
import org.keycloak.models.UserModel;
import org.keycloak.models.credential.OTPCredentialModel;
import org.keycloak.representations.idm.OAuth2ErrorRepresentation;

import io.github.grouptotp.keycloak.KeycloakApi;
import io.github.grouptotp.keycloak.LoginMetrics;
import io.github.grouptotp.keycloak.LoginRecord;
import io.github.grouptotp.keycloak.LoginRequest;
import io.github.grouptotp.keycloak.enrolment.SecondFactors;
import io.github.grouptotp.keycloak.enrolment.TotpCredentials;
import io.github.grouptotp.keycloak.guard.Attempts;
import io.github.grouptotp.keycloak.reset.PendingReset;
import io.github.grouptotp.policy.LoginOutcome;
import io.github.grouptotp.policy.PolicyDecision;
import io.github.grouptotp.policy.SecondFactor;
import io.github.grouptotp.policy.SecretKind;

/**
 * The policy for the direct grant flow (resource owner password credentials): a required or enrolled user must
 * send a valid code in the {@code totp} parameter. Enrolment, resets and remembered browsers need the browser, so
 * they do not exist here. Every refusal answers exactly as Keycloak answers a wrong password, so the answer confirms
 * no password and lists no account a password alone could enrol; the reason is in the {@code LOGIN_ERROR} event
 * (detail {@value Attempts#REFUSED_DETAIL}) only.
 */
public class GroupTotpDirectGrantAuthenticator implements Authenticator {

    private static final Logger LOG = Logger.getLogger(GroupTotpDirectGrantAuthenticator.class);

    static final String TOTP_PARAMETER = "totp";
    /** Keycloak's own description of a wrong password in the direct grant. */
    static final String INVALID_CREDENTIALS = "Invalid user credentials";

    @Override
    public void authenticate(AuthenticationFlowContext context) {
        LoginRequest request = LoginRequest.of(context, FlowPolicy.config(context));
        UserModel user = context.getUser();
        PolicyDecision decision = FlowPolicy.decide(context, request.config());
        boolean enrolled = SecondFactors.has(user);
        LOG.debugf("user %s (direct grant): mode %s, enrolled %s", user.getId(), decision.mode(), enrolled);
        if (PendingReset.of(user, LoginRecord.now()).isPresent()) {
            refuse(context, request, "reset_pending");
            return;
        }
        if (SecondFactors.lost(user)) {
            refuse(context, request, "factor_removed");
            return;
        }
        if (decision.mustAddFactor(SecondFactors.held(user))) {
            // An app where a security key or passkey is required: set up in the browser, not here.
            refuse(context, request, "enrolment_required");
            return;
        }
        switch (decision.nextStep(enrolled)) {
            case PASS -> {
                LoginMetrics.passed(context.getRealm(), decision.passOutcome());
                context.getEvent().detail(LoginRecord.EVENT_DETAIL, decision.passOutcome().eventDetail());
                context.success();
            }
            // Not a wrong guess: the user cannot comply here.
            case ENROL -> refuse(context, request, "enrolment_required");
            // WebAuthn needs a browser: a user with no app has nothing to send here.
            case ASK_CODE -> {
                if (SecondFactors.held(user).contains(SecondFactor.OTP)) {
                    verifyCode(context, request);
                } else {
                    refuse(context, request, "webauthn_only");
                }
            }
        }
    }

    private void verifyCode(AuthenticationFlowContext context, LoginRequest request) {
        UserModel user = request.user();
        TotpCredentials.TypedCode typed = TotpCredentials.typed(request.realm(), user,
                context.getHttpRequest().getDecodedFormParameters().getFirst(TOTP_PARAMETER));
        if (!typed.wellFormed()) {
            refuse(context, request, "code_missing_or_malformed");
            return;
        }
        Attempts.Result result = Attempts.check(request, SecretKind.APP_CODE,
                () -> TotpCredentials.matching(user, typed.code()).isPresent() ? Attempts.Check.RIGHT : Attempts.Check.WRONG);
        if (!result.valid()) {
            context.forceChallenge(invalidGrant()); // the guard sent the LOGIN_ERROR event with the reason
            return;
        }
        SecondFactors.noteIfMissing(user);
        LoginMetrics.passed(context.getRealm(), LoginOutcome.VERIFIED);
        context.getEvent().detail(LoginRecord.EVENT_DETAIL, LoginOutcome.VERIFIED.eventDetail());
        KeycloakApi.success(context, OTPCredentialModel.TYPE);
    }

    /** A refusal that is not a checked guess: the event says why, the answer what a wrong password gets. */
    private static void refuse(AuthenticationFlowContext context, LoginRequest request, String reason) {
        request.loginErrorEvent().detail(Attempts.REFUSED_DETAIL, reason).error(Errors.INVALID_USER_CREDENTIALS);
        context.forceChallenge(invalidGrant());
    }

    /** Keycloak's answer to a wrong password in this release (401 before 26.6, 400 from it). */
    private static Response invalidGrant() {
        return Response.status(KeycloakApi.invalidGrantStatus())
                .entity(new OAuth2ErrorRepresentation("invalid_grant", INVALID_CREDENTIALS))
                .type(MediaType.APPLICATION_JSON_TYPE)
                .build();
    }

    @Override
    public void action(AuthenticationFlowContext context) {
    }

    @Override
    public boolean requiresUser() {
        return true;
    }

    @Override
    public boolean configuredFor(KeycloakSession session, RealmModel realm, UserModel user) {
        return true;
    }

    @Override
    public void setRequiredActions(KeycloakSession session, RealmModel realm, UserModel user) {
    }

    @Override
    public void close() {
    }
}

package io.github.grouptotp.keycloak.flow;

import java.time.temporal.ChronoUnit;

import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

import org.jboss.logging.Logger;
import org.keycloak.authentication.AuthenticationFlowContext;
import org.keycloak.authentication.AuthenticationFlowError;
import org.keycloak.authentication.Authenticator;
import org.keycloak.authentication.authenticators.util.AuthenticatorUtils;
import org.keycloak.events.Errors;
import org.keycloak.models.KeycloakSession;
import org.keycloak.models.RealmModel;
import org.keycloak.models.UserModel;
import org.keycloak.models.credential.OTPCredentialModel;
import org.keycloak.representations.idm.OAuth2ErrorRepresentation;

import io.github.grouptotp.keycloak.KeycloakApi;
import io.github.grouptotp.keycloak.LoginMetrics;
import io.github.grouptotp.keycloak.LoginRecord;
import io.github.grouptotp.keycloak.enrolment.TotpCredentials;
import io.github.grouptotp.policy.GroupTotpConfig;
import io.github.grouptotp.policy.LoginOutcome;
import io.github.grouptotp.policy.PolicyDecision;

/**
 * The policy for the direct grant flow (resource owner password credentials): a required or enrolled user must
 * send a valid code in the {@code totp} parameter. Enrolment needs the browser, so a required user without an
 * authenticator is refused, and there are no remembered browsers and no grace period here.
 */
public class GroupTotpDirectGrantAuthenticator implements Authenticator {

    private static final Logger LOG = Logger.getLogger(GroupTotpDirectGrantAuthenticator.class);

    static final String TOTP_PARAMETER = "totp";

    static final String ENROLMENT_NEEDED = "Two-step verification is required for this account, and no authenticator "
            + "app is set up. Log in once through the browser to set one up.";
    static final String CODE_MISSING = "Two-step verification is required for this account: send the code from "
            + "the authenticator app in parameter 'totp'.";
    static final String CODE_INVALID = "Invalid user credentials";
    static final String CODE_THROTTLED = "Too many wrong codes for this account: codes are not accepted until %s.";
    static final String ACCOUNT_LOCKED = "Invalid user credentials";

    @Override
    public void authenticate(AuthenticationFlowContext context) {
        UserModel user = context.getUser();
        GroupTotpConfig config = FlowPolicy.config(context);
        PolicyDecision decision = FlowPolicy.decide(context, config);
        boolean enrolled = TotpCredentials.isEnrolled(user);
        LOG.debugf("user %s (direct grant): mode %s, enrolled %s", user.getId(), decision.mode(), enrolled);

        switch (decision.nextStep(enrolled)) {
            case PASS -> {
                LoginMetrics.passed(context.getRealm(), decision.passOutcome());
                context.getEvent().detail(LoginRecord.EVENT_DETAIL, decision.passOutcome().eventDetail());
                context.success();
            }
            case ENROL -> {
                context.getEvent().user(user).error(Errors.INVALID_USER_CREDENTIALS);
                // Not a wrong guess: no brute-force failure for a user who cannot comply here.
                context.failure(AuthenticationFlowError.CREDENTIAL_SETUP_REQUIRED, invalidGrant(ENROLMENT_NEEDED));
            }
            case ASK_CODE -> verifyCode(context);
        }
    }

    private void verifyCode(AuthenticationFlowContext context) {
        UserModel user = context.getUser();
        if (AuthenticatorUtils.getDisabledByBruteForceEventError(context, user) != null) {
            // Same answer as a wrong code, as Keycloak's own direct-grant steps give for a locked user.
            context.getEvent().user(user).error(Errors.USER_TEMPORARILY_DISABLED);
            context.forceChallenge(invalidGrant(ACCOUNT_LOCKED));
            return;
        }
        String raw = context.getHttpRequest().getDecodedFormParameters().getFirst(TOTP_PARAMETER);
        TotpCredentials.Check check = TotpCredentials.verify(context.getSession(), context.getRealm(), user, raw);
        switch (check.outcome()) {
            case MISSING -> {
                context.getEvent().user(user).error(Errors.INVALID_USER_CREDENTIALS);
                context.forceChallenge(invalidGrant(CODE_MISSING));
            }
            case THROTTLED -> {
                context.getEvent().user(user).error(LoginRecord.THROTTLED_EVENT_ERROR);
                context.forceChallenge(invalidGrant(String.format(CODE_THROTTLED, check.refusedUntil().truncatedTo(ChronoUnit.SECONDS))));
            }
            case VALID -> {
                LoginMetrics.passed(context.getRealm(), LoginOutcome.VERIFIED);
                context.getEvent().detail(LoginRecord.EVENT_DETAIL, LoginOutcome.VERIFIED.eventDetail());
                KeycloakApi.success(context, OTPCredentialModel.TYPE);
            }
            default -> {
                context.getEvent().user(user).error(Errors.INVALID_USER_CREDENTIALS);
                context.failure(AuthenticationFlowError.INVALID_CREDENTIALS, invalidGrant(CODE_INVALID));
            }
        }
    }

    private static Response invalidGrant(String description) {
        return Response.status(Response.Status.BAD_REQUEST)
                .entity(new OAuth2ErrorRepresentation("invalid_grant", description))
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

package io.github.grouptotp.keycloak.steps;

import java.time.Instant;
import java.util.Optional;

import org.jboss.logging.Logger;
import org.keycloak.authentication.AuthenticatorUtil;
import org.keycloak.models.Constants;
import org.keycloak.protocol.oidc.OIDCLoginProtocol;
import org.keycloak.services.managers.AuthenticationManager;
import org.keycloak.sessions.AuthenticationSessionModel;
import org.keycloak.util.TokenUtil;

import io.github.grouptotp.keycloak.LoginRecord;
import io.github.grouptotp.keycloak.LoginRequest;
import io.github.grouptotp.keycloak.RequiredActions;
import io.github.grouptotp.keycloak.enrolment.SecondFactors;
import io.github.grouptotp.keycloak.enrolment.TotpCredentials;
import io.github.grouptotp.keycloak.enrolment.TotpEnrolment;
import io.github.grouptotp.keycloak.guard.LogOnce;
import io.github.grouptotp.keycloak.remember.RememberedBrowserCookie;
import io.github.grouptotp.policy.GracePeriod;
import io.github.grouptotp.policy.LoginOutcome;
import io.github.grouptotp.policy.PolicyDecision;
import io.github.grouptotp.policy.TotpMode;

/**
 * The browser step's first page from the policy's decision: the code (or a remembered browser instead), the grace
 * page or the enrolment, or nothing for a user the policy lets through.
 */
final class PolicyPages {

    private static final Logger LOG = Logger.getLogger(PolicyPages.class);
    /** Keycloak's flow path of "forgot password" (LoginActionsService.RESET_CREDENTIALS_PATH). */
    static final String RESET_CREDENTIALS_FLOW = "reset-credentials";

    private PolicyPages() {
    }

    static StepResult start(LoginRequest request, PolicyDecision decision) {
        boolean holdsFactor = SecondFactors.has(request.user());
        LOG.debugf("user %s: mode %s, has a factor %s", request.user().getId(), decision.mode(), holdsFactor);
        switch (decision.nextStep(holdsFactor)) {
            case ASK_CODE -> {
                SecondFactors.noteIfMissing(request.user());
                if (decision.mode() == TotpMode.REQUIRED) {
                    // Stamps the grace start if missing, so removing the app later opens no fresh grace period.
                    GracePage.status(request);
                }
                Optional<Instant> rememberedSince = rememberedBrowser(request);
                if (rememberedSince.isPresent()) {
                    // The login's authentication time becomes the time the code was last entered in this browser (what
                    // auth_time then says): Keycloak re-authenticates, with a code, for a max_age that needs a recent one.
                    request.authSession().setClientNote(AuthenticationManager.AUTH_TIME_BROKER,
                            String.valueOf(rememberedSince.get().getEpochSecond()));
                    return StepResult.Done.without(LoginOutcome.REMEMBERED);
                }
                return ProofPages.login(request, null, null);
            }
            case ENROL -> {
                return enrolment(request);
            }
            default -> {
                return StepResult.Done.without(decision.passOutcome());
            }
        }
    }

    /** A required user without a factor that meets the policy: the grace page while it lasts, else the set-up. */
    static StepResult enrolment(LoginRequest request) {
        GracePeriod.Status grace = GracePage.status(request);
        // A reload after "set it up now" stays on the enrolment the user started.
        return grace.active() && !TotpEnrolment.inProgress(request)
                ? GracePage.show(request, grace)
                : ChoosePage.start(request, null);
    }

    /**
     * When this browser was remembered, if it may stand in for the code. A remembered browser is no proof, so never
     * for a login that must prove who it is: one started for an application-initiated action, a forced
     * re-authentication ({@code prompt=login}, with or without an SSO session), a {@code max_age} older than the
     * cookie, or "forgot password". Nor while the realm lacks the check that keeps an SSO session resting on a
     * remembered browser from making account changes ({@value RequiredActions#LOGIN_GUARD}).
     */
    private static Optional<Instant> rememberedBrowser(LoginRequest request) {
        AuthenticationSessionModel authSession = request.authSession();
        Instant now = LoginRecord.now();
        if (authSession.getClientNote(Constants.KC_ACTION) != null || AuthenticatorUtil.isForcedReauthentication(authSession)
                || TokenUtil.hasPrompt(authSession.getClientNote(OIDCLoginProtocol.PROMPT_PARAM), OIDCLoginProtocol.PROMPT_VALUE_LOGIN)
                || RESET_CREDENTIALS_FLOW.equals(request.flowPath())) {
            return Optional.empty();
        }
        if (!RequiredActions.isEnabled(request.realm(), RequiredActions.LOGIN_GUARD)) {
            if (LogOnce.due(request.session(), "login-guard-missing::" + request.realm().getId())) {
                LOG.errorf("Realm '%s': the required action '%s' is not enabled, so remembered browsers are not honoured "
                        + "(a code is asked at every login). Enable it in Authentication > Required actions.",
                        request.realm().getName(), RequiredActions.LOGIN_GUARD);
            }
            return Optional.empty();
        }
        // Only a factor that meets the policy may be remembered for it (not an app, for a phishing-resistant group).
        Optional<Instant> since = RememberedBrowserCookie.rememberedSince(request.session(), request.realm(), request.user(),
                SecondFactors.credentialIds(request.user(), request.record().mustSatisfy()), request.config().rememberHours(), now);
        Optional<Integer> maxAge = maxAge(authSession);
        return since.filter(issued -> maxAge.isEmpty() || !issued.plusSeconds(maxAge.get()).isBefore(now));
    }

    /** The application's {@code max_age}, in seconds, if it sent a usable one. */
    private static Optional<Integer> maxAge(AuthenticationSessionModel authSession) {
        String maxAge = authSession.getClientNote(OIDCLoginProtocol.MAX_AGE_PARAM);
        if (maxAge == null) {
            return Optional.empty();
        }
        try {
            return Optional.of(Math.max(0, Integer.parseInt(maxAge.trim())));
        } catch (NumberFormatException notANumber) {
            return Optional.of(0); // an application that asked for a recent login in a form we cannot read gets a code
        }
    }
}

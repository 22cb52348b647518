package io.github.grouptotp.keycloak.flow;

import java.time.Instant;
import java.util.Locale;
import java.util.Optional;

import jakarta.ws.rs.core.Response;

import org.jboss.logging.Logger;
import org.keycloak.authentication.AuthenticationFlowContext;
import org.keycloak.authentication.AuthenticationFlowError;
import org.keycloak.authentication.Authenticator;
import org.keycloak.authentication.AuthenticatorUtil;
import org.keycloak.authentication.authenticators.util.AuthenticatorUtils;
import org.keycloak.events.Errors;
import org.keycloak.models.Constants;
import org.keycloak.models.KeycloakSession;
import org.keycloak.models.RealmModel;
import org.keycloak.models.UserModel;
import org.keycloak.models.credential.OTPCredentialModel;
import org.keycloak.models.utils.FormMessage;
import org.keycloak.services.managers.AuthenticationManager;
import org.keycloak.sessions.AuthenticationSessionModel;

import io.github.grouptotp.keycloak.KeycloakApi;
import io.github.grouptotp.keycloak.LoginRecord;
import io.github.grouptotp.keycloak.LoginRecord.Stage;
import io.github.grouptotp.keycloak.LoginRequest;
import io.github.grouptotp.keycloak.enrolment.RecoveryCodes;
import io.github.grouptotp.keycloak.enrolment.TotpCredentials;
import io.github.grouptotp.keycloak.enrolment.TotpEnrolment;
import io.github.grouptotp.keycloak.grace.GraceStore;
import io.github.grouptotp.keycloak.guard.LogOnce;
import io.github.grouptotp.keycloak.pages.TotpPages;
import io.github.grouptotp.keycloak.remember.RememberedBrowserCookie;
import io.github.grouptotp.keycloak.reset.GroupTotpResetAction;
import io.github.grouptotp.keycloak.reset.ResetPassGate;
import io.github.grouptotp.policy.GracePeriod;
import io.github.grouptotp.policy.GroupTotpConfig;
import io.github.grouptotp.policy.LoginOutcome;
import io.github.grouptotp.policy.PolicyDecision;
import io.github.grouptotp.policy.TotpMode;

/**
 * The "Group TOTP policy" browser-flow step: translates the flow context into a policy decision and that decision
 * into Keycloak pages, credentials and events. Everything the step starts (an enrolment, a reset an admin assigned,
 * a recovery code followed by a new phone, new recovery codes) also ends inside it, so the LOGIN event of the
 * request that finishes carries how the user passed.
 *
 * <p>Stateless: what a login needs between requests lives in authentication-session notes ({@link LoginRecord}).
 */
public class GroupTotpAuthenticator implements Authenticator {

    private static final Logger LOG = Logger.getLogger(GroupTotpAuthenticator.class);

    /** LOGIN_ERROR error when "log in without it for now" is posted after the deadline. */
    public static final String GRACE_OVER_EVENT_ERROR = "group_totp_grace_over";

    @Override
    public void authenticate(AuthenticationFlowContext context) {
        LoginRequest request = LoginRequest.of(context);
        UserModel user = context.getUser();
        if (request.record().wrongCodeLimitReached()) {
            context.forceChallenge(TotpPages.error(context.form(), TotpPages.MSG_TOO_MANY_WRONG_CODES));
            return;
        }
        if (GroupTotpResetAction.isAssigned(user)) {
            // An admin reset the authenticator: the phone may be gone, so no old code, but the one-time pass the
            // help desk handed over; then a new one is set up now.
            Optional<Response> pass = ResetPassGate.challenge(request, FlowPolicy.config(context));
            if (pass.isPresent()) {
                context.challenge(pass.get());
                return;
            }
            TotpCredentials.removeAll(user, context.getEvent());
            context.challenge(TotpEnrolment.begin(request, LoginOutcome.RESET));
            return;
        }
        GroupTotpConfig config = FlowPolicy.config(context);
        PolicyDecision decision = FlowPolicy.decide(context, config);
        boolean enrolled = TotpCredentials.isEnrolled(user);
        LOG.debugf("user %s: mode %s, enrolled %s", user.getId(), decision.mode(), enrolled);

        switch (decision.nextStep(enrolled)) {
            case ASK_CODE -> {
                if (decision.mode() == TotpMode.REQUIRED) {
                    // Stamps the grace start if missing, so removing the app later opens no fresh grace period.
                    grace(context, config);
                }
                Optional<Instant> rememberedSince = rememberedBrowser(context, config);
                if (rememberedSince.isPresent()) {
                    passRememberedBrowser(context, rememberedSince.get());
                    return;
                }
                showCodePage(context, null);
            }
            case ENROL -> {
                GracePeriod.Status grace = grace(context, config);
                // A reload after "set it up now" stays on the enrolment the user started.
                if (grace.active() && !TotpEnrolment.inProgress(request)) {
                    request.record().stage(Stage.GRACE);
                    context.challenge(gracePage(context, grace));
                } else {
                    context.challenge(TotpEnrolment.begin(request, LoginOutcome.ENROLLED));
                }
            }
            case PASS -> {
                request.record().outcome(context.getEvent(), decision.passOutcome(), null);
                context.success();
            }
        }
    }

    @Override
    public void action(AuthenticationFlowContext context) {
        LoginRequest request = LoginRequest.of(context);
        LoginRecord record = request.record();
        if (record.wrongCodeLimitReached()) {
            // This login is spent, whatever realm brute-force detection says: only a new login may try again.
            context.forceChallenge(TotpPages.error(context.form(), TotpPages.MSG_TOO_MANY_WRONG_CODES));
            return;
        }
        Stage stage = record.stage().orElse(null);
        if (stage == Stage.CODE) {
            if (request.formHas(TotpPages.FIELD_USE_RECOVERY) && RecoveryCodes.has(context.getUser())) {
                record.stage(Stage.RECOVERY);
                context.challenge(TotpPages.recovery(context.form(), null));
            } else {
                verifyCode(context, request);
            }
        } else if (stage == Stage.RECOVERY) {
            if (request.formHas(TotpPages.FIELD_USE_CODE)) {
                showCodePage(context, null);
            } else {
                verifyRecoveryCode(context, request);
            }
        } else if (stage == Stage.ENROL && TotpEnrolment.inProgress(request)) {
            confirmEnrolment(context, request);
        } else if (stage == Stage.RECOVERY_CODES) {
            confirmRecoveryCodesSaved(context, request);
        } else if (stage == Stage.GRACE) {
            graceChoice(context, request);
        } else if (stage == Stage.RESET_PASS) {
            context.challenge(ResetPassGate.answer(request));
        } else {
            // A POST for a page this login never showed: refuse it and offer a fresh start.
            LOG.debugf("user %s: form posted without a page shown by this step", context.getUser().getId());
            context.getEvent().user(context.getUser()).error(Errors.INVALID_AUTHENTICATION_SESSION);
            context.forceChallenge(TotpPages.error(context.form(), TotpPages.MSG_SESSION_EXPIRED));
        }
    }

    private void verifyCode(AuthenticationFlowContext context, LoginRequest request) {
        UserModel user = context.getUser();
        if (refuseIfLocked(context)) {
            return;
        }
        TotpCredentials.Check check = TotpCredentials.verify(context.getSession(), context.getRealm(), user,
                request.formValue(TotpPages.FIELD_OTP));
        switch (check.outcome()) {
            // Input that cannot be a code guesses nothing: not counted as a failed attempt.
            case MISSING, MALFORMED -> showCodePage(context, check.fieldError(TotpPages.MSG_CODE_INVALID));
            case THROTTLED -> {
                context.getEvent().user(user).error(LoginRecord.THROTTLED_EVENT_ERROR);
                context.forceChallenge(codePage(context, check.fieldError(TotpPages.MSG_CODE_INVALID)));
            }
            case INVALID -> wrongCode(context, request, codePage(context, check.fieldError(TotpPages.MSG_CODE_INVALID)));
            default -> {
                request.record().codeVerified();
                RememberedBrowserCookie.issueIfEnabled(context.getSession(), context.getRealm(), user, check.credentialId(),
                        FlowPolicy.config(context).rememberHours(), LoginRecord.now());
                finish(context, request, LoginOutcome.VERIFIED, null);
            }
        }
    }

    /** "Lost your phone?": a recovery code removes the lost authenticator, and a new one is set up in this login. */
    private void verifyRecoveryCode(AuthenticationFlowContext context, LoginRequest request) {
        UserModel user = context.getUser();
        if (refuseIfLocked(context)) {
            return;
        }
        RecoveryCodes.Use use = RecoveryCodes.use(context.getSession(), context.getRealm(), user,
                request.formValue(TotpPages.FIELD_RECOVERY_CODE));
        switch (use.outcome()) {
            case MISSING, BUSY -> context.challenge(TotpPages.recovery(context.form(), use.fieldError()));
            case THROTTLED -> {
                context.getEvent().user(user).error(LoginRecord.THROTTLED_EVENT_ERROR);
                context.forceChallenge(TotpPages.recovery(context.form(), use.fieldError()));
            }
            case INVALID -> wrongCode(context, request, TotpPages.recovery(context.form(), use.fieldError()));
            case VALID -> {
                TotpCredentials.removeAll(user, context.getEvent());
                context.challenge(TotpEnrolment.begin(request, LoginOutcome.RECOVERY_CODE));
            }
        }
    }

    private void confirmEnrolment(AuthenticationFlowContext context, LoginRequest request) {
        TotpCredentials.Check check = TotpEnrolment.confirm(request);
        switch (check.outcome()) {
            // Set up meanwhile (another window, or another login that was faster): that authenticator's code is needed.
            case ALREADY_ENROLLED -> showCodePage(context, check.fieldError(TotpPages.MSG_CODE_INVALID));
            case VALID -> {
                LoginOutcome reason = TotpEnrolment.reason(request);
                if (reason == LoginOutcome.RESET) {
                    GroupTotpResetAction.completed(context.getUser(), context.getEvent());
                }
                Optional<Response> recoveryCodes = TotpEnrolment.afterEnrolment(request, FlowPolicy.config(context), check.credentialId());
                if (recoveryCodes.isPresent()) {
                    context.challenge(recoveryCodes.get());
                } else {
                    finish(context, request, reason, null);
                }
            }
            // The secret is known to the user only, so a wrong code here guesses nothing: not a brute-force failure.
            default -> context.challenge(TotpEnrolment.page(request, check.fieldError(TotpPages.MSG_ENROL_CODE_INVALID)));
        }
    }

    private void confirmRecoveryCodesSaved(AuthenticationFlowContext context, LoginRequest request) {
        if (RecoveryCodes.saveConfirmed(request)) {
            finish(context, request, TotpEnrolment.reason(request), null);
        } else {
            context.challenge(RecoveryCodes.page(request, new FormMessage(TotpPages.FIELD_CODES_SAVED, TotpPages.MSG_CODES_NOT_SAVED)));
        }
    }

    /** The user answered the grace page: set it up now, or log in without it for now. */
    private void graceChoice(AuthenticationFlowContext context, LoginRequest request) {
        UserModel user = context.getUser();
        if (request.formHas(TotpPages.FIELD_SKIP)) {
            if (TotpCredentials.isEnrolled(user)) {
                // Enrolled in another tab since the grace page was shown: the code is needed now.
                showCodePage(context, new FormMessage(TotpPages.FIELD_OTP, TotpPages.MSG_ALREADY_ENROLLED));
                return;
            }
            // Checked again, from the same source as the page: a skip posted after the deadline is refused.
            GracePeriod.Status grace = grace(context, FlowPolicy.config(context));
            if (!grace.active()) {
                LOG.debugf("user %s: skip refused, grace period over", user.getId());
                context.getEvent().user(user).error(GRACE_OVER_EVENT_ERROR);
                context.challenge(TotpEnrolment.begin(request, LoginOutcome.ENROLLED, new FormMessage(null, TotpPages.MSG_GRACE_OVER)));
                return;
            }
            finish(context, request, LoginOutcome.GRACE_SKIPPED, grace.deadline().orElseThrow());
        } else if (request.formHas(TotpPages.FIELD_ENROL)) {
            context.challenge(TotpEnrolment.begin(request, LoginOutcome.ENROLLED));
        } else {
            context.challenge(gracePage(context, grace(context, FlowPolicy.config(context))));
        }
    }

    /** The step is done: the outcome goes on the LOGIN event, and nothing of this login's pages is kept. */
    private static void finish(AuthenticationFlowContext context, LoginRequest request, LoginOutcome outcome, Instant deadline) {
        TotpEnrolment.end(request);
        request.record().outcome(context.getEvent(), outcome, deadline);
        if (outcome == LoginOutcome.GRACE_SKIPPED) {
            context.success();
        } else {
            KeycloakApi.success(context, OTPCredentialModel.TYPE);
        }
    }

    /**
     * A wrong code or recovery code: an event, a failure for Keycloak's brute-force protection, and the page again,
     * or, at the per-login limit, the error page that sends the user back to the start.
     */
    private static void wrongCode(AuthenticationFlowContext context, LoginRequest request, Response pageAgain) {
        boolean limitReached = request.record().addWrongCode();
        context.getEvent().user(context.getUser()).error(Errors.INVALID_USER_CREDENTIALS);
        Response page = limitReached ? TotpPages.error(context.form(), TotpPages.MSG_TOO_MANY_WRONG_CODES) : pageAgain;
        context.failureChallenge(AuthenticationFlowError.INVALID_CREDENTIALS, page);
    }

    /** Locked users never get a code check, so a correct guess cannot be confirmed while locked. */
    private static boolean refuseIfLocked(AuthenticationFlowContext context) {
        UserModel user = context.getUser();
        String lockError = AuthenticatorUtils.getDisabledByBruteForceEventError(context, user);
        if (lockError == null) {
            return false;
        }
        context.getEvent().user(user).error(lockError);
        String message = Errors.USER_TEMPORARILY_DISABLED.equals(lockError)
                ? TotpPages.MSG_LOCKED_TEMPORARILY : TotpPages.MSG_LOCKED_PERMANENTLY;
        context.forceChallenge(codePage(context, new FormMessage(TotpPages.FIELD_OTP, message)));
        return true;
    }

    /** The user's grace period; stamps the grace start on first need and logs an unusable record (rate-limited). */
    private static GracePeriod.Status grace(AuthenticationFlowContext context, GroupTotpConfig config) {
        UserModel user = context.getUser();
        GracePeriod.Status grace = GracePeriod.evaluate(config, GraceStore.read(user), LoginRecord.now());
        grace.startToStore().ifPresent(start -> GraceStore.stamp(user, start));
        grace.problem().ifPresent(problem -> {
            if (LogOnce.due(context.getSession(), "grace::" + context.getRealm().getId() + "::" + user.getId())) {
                LOG.errorf("User %s of realm '%s': %s, so the grace period counts as over. "
                        + "Grant a new one with POST /admin/realms/%s/group-totp/users/%s/grace.",
                        user.getId(), context.getRealm().getName(), problem, context.getRealm().getName(), user.getId());
            }
        });
        return grace;
    }

    /**
     * When this browser was remembered, if it may skip the code. Never for a login started for an
     * application-initiated action (a credential change, a reset, a password update) or a forced re-authentication:
     * those need a fresh code, or a remembered browser would be enough to add an authenticator of one's own.
     */
    private static Optional<Instant> rememberedBrowser(AuthenticationFlowContext context, GroupTotpConfig config) {
        AuthenticationSessionModel authSession = context.getAuthenticationSession();
        if (authSession.getClientNote(Constants.KC_ACTION) != null || AuthenticatorUtil.isForcedReauthentication(authSession)) {
            return Optional.empty();
        }
        UserModel user = context.getUser();
        return RememberedBrowserCookie.rememberedSince(context.getSession(), context.getRealm(), user,
                TotpCredentials.otpCredentialIds(user), config.rememberHours(), LoginRecord.now());
    }

    /**
     * Lets a remembered browser through. The login's authentication time becomes the time the code was last entered
     * in this browser (what {@code auth_time} then says): so Keycloak asks for re-authentication, with a code, before
     * an application-initiated action or a {@code max_age} that needs a recent login.
     */
    private static void passRememberedBrowser(AuthenticationFlowContext context, Instant rememberedSince) {
        context.getAuthenticationSession().setClientNote(AuthenticationManager.AUTH_TIME_BROKER,
                String.valueOf(rememberedSince.getEpochSecond()));
        LoginRecord.of(context.getAuthenticationSession()).outcome(context.getEvent(), LoginOutcome.REMEMBERED, null);
        context.success();
    }

    private static void showCodePage(AuthenticationFlowContext context, FormMessage message) {
        LoginRecord.of(context.getAuthenticationSession()).stage(Stage.CODE);
        context.challenge(codePage(context, message));
    }

    private static Response codePage(AuthenticationFlowContext context, FormMessage message) {
        return TotpPages.code(context.form(), RecoveryCodes.has(context.getUser()), message);
    }

    private static Response gracePage(AuthenticationFlowContext context, GracePeriod.Status grace) {
        Locale locale = context.getSession().getContext().resolveLocale(context.getUser());
        return TotpPages.grace(context.form(), locale, grace.deadlineDate().orElseThrow(), grace.daysLeft(LoginRecord.now()));
    }

    @Override
    public boolean requiresUser() {
        return true;
    }

    /** The step decides for itself whether a user needs a code, so Keycloak must always run it. */
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

package io.github.grouptotp.keycloak;

import java.time.Instant;
import java.util.Locale;
import java.util.Optional;

import jakarta.ws.rs.core.MultivaluedMap;
import jakarta.ws.rs.core.Response;

import org.jboss.logging.Logger;
import org.keycloak.authentication.AuthenticationFlowContext;
import org.keycloak.authentication.AuthenticationFlowError;
import org.keycloak.authentication.Authenticator;
import org.keycloak.authentication.authenticators.util.AuthenticatorUtils;
import org.keycloak.common.util.Time;
import org.keycloak.events.Errors;
import org.keycloak.models.KeycloakSession;
import org.keycloak.models.RealmModel;
import org.keycloak.models.UserModel;
import org.keycloak.models.credential.OTPCredentialModel;
import org.keycloak.models.utils.FormMessage;
import org.keycloak.sessions.AuthenticationSessionModel;

import io.github.grouptotp.policy.GracePeriod;
import io.github.grouptotp.policy.GroupTotpConfig;
import io.github.grouptotp.policy.LoginOutcome;
import io.github.grouptotp.policy.PolicyDecision;
import io.github.grouptotp.policy.RememberedBrowser;
import io.github.grouptotp.policy.RememberedBrowserRules;
import io.github.grouptotp.policy.TotpMode;

/**
 * The "Group TOTP policy" browser-flow step: translates the flow context into a {@link GroupTotpPolicy}
 * decision and that decision into Keycloak pages, credentials and events.
 *
 * <p>Stateless: what a login needs between requests lives in authentication-session notes, server-side.
 */
public class GroupTotpAuthenticator implements Authenticator {

    private static final Logger LOG = Logger.getLogger(GroupTotpAuthenticator.class);

    /** LOGIN event detail carrying a {@link LoginOutcome}. */
    public static final String EVENT_DETAIL = "group_totp";
    /** LOGIN event detail with the grace deadline (ISO-8601 instant) when enrolment was skipped. */
    public static final String DEADLINE_EVENT_DETAIL = "group_totp_deadline";
    /** LOGIN_ERROR error when "log in without it for now" is posted after the deadline. */
    public static final String GRACE_OVER_EVENT_ERROR = "group_totp_grace_over";

    /** Which page this login was shown last, so that a POST is only accepted for the page it answers. */
    static final String STAGE_NOTE = "group-totp.stage";
    static final String STAGE_CODE = "code";
    static final String STAGE_ENROL = "enrol";
    static final String STAGE_GRACE = "grace";
    static final String STAGE_RECOVERY = "recovery";
    /** Set when this login verified a code, so that a reset started right after does not ask again. */
    static final String CODE_VERIFIED_NOTE = "group-totp.code-verified";
    /** Wrong codes allowed in one login, whatever the realm's brute-force settings (off by default). */
    static final int MAX_WRONG_CODES_PER_LOGIN = 5;
    static final String WRONG_CODES_NOTE = "group-totp.wrong-codes";
    /** The LOGIN event details of this login, kept for a login that finishes in a later request. */
    static final String OUTCOME_NOTE = "group-totp.outcome";
    static final String DEADLINE_NOTE = "group-totp.deadline";

    @Override
    public void authenticate(AuthenticationFlowContext context) {
        UserModel user = context.getUser();
        if (GroupTotpResetAction.isAssignedAndEnabled(context.getRealm(), user)) {
            // The phone may be gone: no old code. The reset required action removes it and enrols a new one.
            recordOutcome(context, LoginOutcome.RESET, null);
            context.success();
            return;
        }
        if (wrongCodes(context) >= MAX_WRONG_CODES_PER_LOGIN) {
            context.forceChallenge(TotpPages.error(context.form(), TotpPages.MSG_TOO_MANY_WRONG_CODES));
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
                    graceStatus(context, config);
                }
                // Only users who would be asked for a code can be remembered: it never skips enrolment.
                if (isRememberedBrowser(context, config)) {
                    recordOutcome(context, LoginOutcome.REMEMBERED, null);
                    context.success();
                    return;
                }
                showCodePage(context, null);
            }
            case ENROL -> {
                GracePeriod.Status grace = graceStatus(context, config);
                // A reload after "set it up now" stays on the enrolment the user started.
                boolean enrolmentStarted = STAGE_ENROL.equals(context.getAuthenticationSession().getAuthNote(STAGE_NOTE));
                if (grace.active() && !enrolmentStarted) {
                    context.getAuthenticationSession().setAuthNote(STAGE_NOTE, STAGE_GRACE);
                    context.challenge(gracePage(context, grace));
                } else {
                    showEnrolPage(context, null);
                }
            }
            case PASS -> {
                recordOutcome(context, decision.passOutcome(), null);
                context.success();
            }
        }
    }

    @Override
    public void action(AuthenticationFlowContext context) {
        String stage = context.getAuthenticationSession().getAuthNote(STAGE_NOTE);
        if (wrongCodes(context) >= MAX_WRONG_CODES_PER_LOGIN) {
            // This login is spent, whatever realm brute-force detection says: only a new login may try again.
            context.forceChallenge(TotpPages.error(context.form(), TotpPages.MSG_TOO_MANY_WRONG_CODES));
        } else if (STAGE_CODE.equals(stage)) {
            if (formHas(context, TotpPages.FIELD_USE_RECOVERY) && offersRecovery(context)) {
                context.getAuthenticationSession().setAuthNote(STAGE_NOTE, STAGE_RECOVERY);
                context.challenge(TotpPages.recovery(context.form(), null));
            } else {
                verifyCode(context);
            }
        } else if (STAGE_RECOVERY.equals(stage)) {
            if (formHas(context, TotpPages.FIELD_USE_CODE)) {
                showCodePage(context, null);
            } else {
                verifyRecoveryCode(context);
            }
        } else if (STAGE_ENROL.equals(stage)) {
            confirmEnrolment(context);
        } else if (STAGE_GRACE.equals(stage)) {
            graceChoice(context);
        } else {
            // A POST for a page this login never showed: refuse it and offer a fresh start.
            LOG.debugf("user %s: form posted without a page shown by this step", context.getUser().getId());
            context.getEvent().user(context.getUser()).error(Errors.INVALID_AUTHENTICATION_SESSION);
            context.forceChallenge(TotpPages.error(context.form(), TotpPages.MSG_SESSION_EXPIRED));
        }
    }

    private void verifyCode(AuthenticationFlowContext context) {
        UserModel user = context.getUser();
        if (refuseIfLocked(context)) {
            return;
        }
        TotpCredentials.Check check = TotpCredentials.verify(context.getRealm(), user, formValue(context, TotpPages.FIELD_OTP));
        switch (check.outcome()) {
            // Input that cannot be a code guesses nothing: not counted as a failed attempt.
            case MISSING, MALFORMED -> showCodePage(context, check.fieldError(TotpPages.MSG_CODE_INVALID));
            case INVALID -> wrongCode(context, codePage(context, check.fieldError(TotpPages.MSG_CODE_INVALID)));
            case VALID -> {
                clearNotes(context.getAuthenticationSession());
                context.getAuthenticationSession().setAuthNote(CODE_VERIFIED_NOTE, "true");
                rememberBrowser(context, FlowPolicy.config(context), check.credentialId());
                recordOutcome(context, LoginOutcome.VERIFIED, null);
                context.success(OTPCredentialModel.TYPE);
            }
        }
    }

    /** "Lost your phone?": one recovery code completes this login, and a reset follows in the same login. */
    private void verifyRecoveryCode(AuthenticationFlowContext context) {
        UserModel user = context.getUser();
        if (refuseIfLocked(context)) {
            return;
        }
        String raw = formValue(context, TotpPages.FIELD_RECOVERY_CODE);
        if (raw == null || raw.isBlank()) {
            context.challenge(TotpPages.recovery(context.form(), new FormMessage(TotpPages.FIELD_RECOVERY_CODE, TotpPages.MSG_RECOVERY_MISSING)));
            return;
        }
        if (!offersRecovery(context) || !RecoveryCodes.use(user, raw)) {
            wrongCode(context, TotpPages.recovery(context.form(),
                    new FormMessage(TotpPages.FIELD_RECOVERY_CODE, TotpPages.MSG_RECOVERY_INVALID)));
            return;
        }
        AuthenticationSessionModel authSession = context.getAuthenticationSession();
        clearNotes(authSession);
        // For this login only: the user's stored required actions are left alone.
        authSession.setAuthNote(GroupTotpResetAction.AFTER_RECOVERY_NOTE, "true");
        authSession.addRequiredAction(GroupTotpResetAction.PROVIDER_ID);
        recordOutcome(context, LoginOutcome.RECOVERY_CODE, null);
        context.success(OTPCredentialModel.TYPE);
    }

    private void confirmEnrolment(AuthenticationFlowContext context) {
        UserModel user = context.getUser();
        AuthenticationSessionModel authSession = context.getAuthenticationSession();
        String secret = authSession.getAuthNote(TotpCredentials.ENROL_SECRET_NOTE);
        if (secret == null) {
            context.getEvent().user(user).error(Errors.INVALID_AUTHENTICATION_SESSION);
            context.forceChallenge(TotpPages.error(context.form(), TotpPages.MSG_SESSION_EXPIRED));
            return;
        }
        TotpCredentials.Check check = TotpCredentials.enrol(context.getSession(), context.getRealm(), user, secret,
                formValue(context, TotpPages.FIELD_OTP));
        if (check.outcome() == TotpCredentials.Outcome.ALREADY_ENROLLED) {
            // Enrolled meanwhile (another tab): never add a second credential without the current code.
            authSession.removeAuthNote(TotpCredentials.ENROL_SECRET_NOTE);
            showCodePage(context, check.fieldError(TotpPages.MSG_ALREADY_ENROLLED));
            return;
        }
        if (!check.valid()) {
            // The secret is known to the user only, so a wrong code here guesses nothing: not a brute-force failure.
            context.challenge(enrolPage(context, check.fieldError(TotpPages.MSG_ENROL_CODE_INVALID)));
            return;
        }
        clearNotes(authSession);
        TotpCredentials.recordEnrolment(context.getEvent(), user, check.credentialId());
        GroupTotpConfig config = FlowPolicy.config(context);
        rememberBrowser(context, config, check.credentialId());
        if (config.recoveryCodes()) {
            RecoveryCodes.showNewCodes(context.getRealm(), authSession);
        }
        recordOutcome(context, LoginOutcome.ENROLLED, null);
        context.success(OTPCredentialModel.TYPE);
    }

    /** The user answered the grace page: set it up now, or log in without it for now. */
    private void graceChoice(AuthenticationFlowContext context) {
        UserModel user = context.getUser();
        if (formHas(context, TotpPages.FIELD_SKIP)) {
            if (TotpCredentials.isEnrolled(user)) {
                // Enrolled in another tab since the grace page was shown: the code is needed now.
                showCodePage(context, new FormMessage(TotpPages.FIELD_OTP, TotpPages.MSG_ALREADY_ENROLLED));
                return;
            }
            // Checked again, from the same source as the page: a skip posted after the deadline is refused.
            GracePeriod.Status grace = graceStatus(context, FlowPolicy.config(context));
            if (!grace.active()) {
                LOG.debugf("user %s: skip refused, grace period over", user.getId());
                context.getEvent().user(user).error(GRACE_OVER_EVENT_ERROR);
                showEnrolPage(context, new FormMessage(null, TotpPages.MSG_GRACE_OVER));
                return;
            }
            clearNotes(context.getAuthenticationSession());
            recordOutcome(context, LoginOutcome.GRACE_SKIPPED, grace.deadline().orElseThrow());
            context.success();
        } else if (formHas(context, TotpPages.FIELD_ENROL)) {
            showEnrolPage(context, null);
        } else {
            context.challenge(gracePage(context, graceStatus(context, FlowPolicy.config(context))));
        }
    }

    /**
     * A wrong code or recovery code: an event, a failure for Keycloak's brute-force protection, and the page again,
     * or, at the per-login limit, the error page that sends the user back to the start.
     */
    private static void wrongCode(AuthenticationFlowContext context, Response pageAgain) {
        AuthenticationSessionModel authSession = context.getAuthenticationSession();
        int wrong = wrongCodes(context) + 1;
        authSession.setAuthNote(WRONG_CODES_NOTE, String.valueOf(wrong));
        context.getEvent().user(context.getUser()).error(Errors.INVALID_USER_CREDENTIALS);
        Response page = wrong >= MAX_WRONG_CODES_PER_LOGIN
                ? TotpPages.error(context.form(), TotpPages.MSG_TOO_MANY_WRONG_CODES)
                : pageAgain;
        context.failureChallenge(AuthenticationFlowError.INVALID_CREDENTIALS, page);
    }

    private static int wrongCodes(AuthenticationFlowContext context) {
        String count = context.getAuthenticationSession().getAuthNote(WRONG_CODES_NOTE);
        return count == null ? 0 : Integer.parseInt(count);
    }

    /**
     * Puts the outcome on the LOGIN event. When the login finishes in a later request (recovery codes, a reset),
     * Keycloak starts a new event there: the notes let {@link GroupTotpResetAction#evaluateTriggers} carry the
     * details over.
     */
    private static void recordOutcome(AuthenticationFlowContext context, LoginOutcome outcome, Instant deadline) {
        AuthenticationSessionModel authSession = context.getAuthenticationSession();
        context.getEvent().detail(EVENT_DETAIL, outcome.eventDetail());
        authSession.setAuthNote(OUTCOME_NOTE, outcome.eventDetail());
        if (deadline != null) {
            context.getEvent().detail(DEADLINE_EVENT_DETAIL, deadline.toString());
            authSession.setAuthNote(DEADLINE_NOTE, deadline.toString());
        }
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

    /** The user's grace period; stamps the grace start on first need and logs an unreadable one. */
    private static GracePeriod.Status graceStatus(AuthenticationFlowContext context, GroupTotpConfig config) {
        UserModel user = context.getUser();
        GracePeriod.Status grace = GracePeriod.evaluate(config, user.getFirstAttribute(GracePeriod.START_ATTRIBUTE), now());
        grace.startToStore().ifPresent(start -> user.setSingleAttribute(GracePeriod.START_ATTRIBUTE, start.toString()));
        grace.problem().ifPresent(problem -> LOG.errorf(
                "User %s has an unreadable attribute %s (%s): the grace period counts as over. "
                        + "Delete the attribute to grant a fresh grace period.",
                user.getId(), GracePeriod.START_ATTRIBUTE, problem));
        return grace;
    }

    private static boolean isRememberedBrowser(AuthenticationFlowContext context, GroupTotpConfig config) {
        if (config.rememberHours() == 0) {
            return false;
        }
        KeycloakSession session = context.getSession();
        RealmModel realm = context.getRealm();
        UserModel user = context.getUser();
        Optional<RememberedBrowser> cookie = RememberedBrowserCookie.read(session, realm, user);
        if (cookie.isEmpty()) {
            return false;
        }
        RememberedBrowserRules.Expected expected = new RememberedBrowserRules.Expected(
                realm.getId(),
                user.getId(),
                TotpCredentials.otpCredentialIds(user),
                Instant.ofEpochSecond(session.users().getNotBeforeOfUser(realm, user)),
                Instant.ofEpochSecond(realm.getNotBefore()),
                config.rememberHours());
        Optional<String> rejection = RememberedBrowserRules.rejection(cookie.get(), expected, now());
        // Never the cookie's value: it would let a log reader replay it.
        rejection.ifPresent(reason -> LOG.debugf("user %s: remembered-browser cookie ignored: %s", user.getId(), reason));
        return rejection.isEmpty();
    }

    private static void rememberBrowser(AuthenticationFlowContext context, GroupTotpConfig config, String credentialId) {
        RememberedBrowserCookie.issueIfEnabled(context.getSession(), context.getRealm(), context.getUser(),
                credentialId, config.rememberHours(), now());
    }

    /** Keycloak's clock, which honours the server's time offset like the rest of Keycloak. */
    static Instant now() {
        return Instant.ofEpochMilli(Time.currentTimeMillis());
    }

    /** Recovery codes are offered only where a valid one can be followed by the reset it requires. */
    private static boolean offersRecovery(AuthenticationFlowContext context) {
        return RecoveryCodes.has(context.getUser()) && GroupTotpResetAction.isEnabled(context.getRealm());
    }

    private static String formValue(AuthenticationFlowContext context, String field) {
        MultivaluedMap<String, String> form = context.getHttpRequest().getDecodedFormParameters();
        return form == null ? null : form.getFirst(field);
    }

    private static boolean formHas(AuthenticationFlowContext context, String field) {
        MultivaluedMap<String, String> form = context.getHttpRequest().getDecodedFormParameters();
        return form != null && form.containsKey(field);
    }

    private static void clearNotes(AuthenticationSessionModel authSession) {
        authSession.removeAuthNote(STAGE_NOTE);
        authSession.removeAuthNote(TotpCredentials.ENROL_SECRET_NOTE);
    }

    private static void showCodePage(AuthenticationFlowContext context, FormMessage message) {
        context.getAuthenticationSession().setAuthNote(STAGE_NOTE, STAGE_CODE);
        context.challenge(codePage(context, message));
    }

    private static Response codePage(AuthenticationFlowContext context, FormMessage message) {
        return TotpPages.code(context.form(), offersRecovery(context), message);
    }

    private static void showEnrolPage(AuthenticationFlowContext context, FormMessage message) {
        AuthenticationSessionModel authSession = context.getAuthenticationSession();
        authSession.setAuthNote(STAGE_NOTE, STAGE_ENROL);
        TotpCredentials.enrolmentSecret(authSession);
        context.challenge(enrolPage(context, message));
    }

    private static Response enrolPage(AuthenticationFlowContext context, FormMessage message) {
        return TotpPages.enrol(context.form(), context.getSession(), context.getRealm(), context.getUser(),
                context.getUriInfo().getRequestUriBuilder(),
                context.getAuthenticationSession().getAuthNote(TotpCredentials.ENROL_SECRET_NOTE), message);
    }

    private static Response gracePage(AuthenticationFlowContext context, GracePeriod.Status grace) {
        Locale locale = context.getSession().getContext().resolveLocale(context.getUser());
        return TotpPages.grace(context.form(), locale, grace.deadlineDate().orElseThrow(), grace.daysLeft(now()));
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

package io.github.grouptotp.keycloak;

import java.time.Instant;
import java.time.LocalDate;
import java.time.format.DateTimeFormatter;
import java.time.format.FormatStyle;
import java.util.Comparator;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;

import jakarta.ws.rs.core.MultivaluedMap;
import jakarta.ws.rs.core.Response;

import org.jboss.logging.Logger;
import org.keycloak.authentication.AuthenticationFlowContext;
import org.keycloak.authentication.AuthenticationFlowError;
import org.keycloak.authentication.Authenticator;
import org.keycloak.authentication.authenticators.util.AuthenticatorUtils;
import org.keycloak.common.util.Time;
import org.keycloak.credential.CredentialModel;
import org.keycloak.events.Details;
import org.keycloak.events.Errors;
import org.keycloak.events.EventType;
import org.keycloak.forms.login.LoginFormsProvider;
import org.keycloak.forms.login.freemarker.model.TotpBean;
import org.keycloak.models.AuthenticatorConfigModel;
import org.keycloak.models.GroupModel;
import org.keycloak.models.KeycloakSession;
import org.keycloak.models.OTPPolicy;
import org.keycloak.models.RealmModel;
import org.keycloak.models.UserModel;
import org.keycloak.models.credential.OTPCredentialModel;
import org.keycloak.models.utils.CredentialValidation;
import org.keycloak.models.utils.FormMessage;
import org.keycloak.models.utils.HmacOTP;
import org.keycloak.models.utils.KeycloakModelUtils;
import org.keycloak.models.UserCredentialModel;
import org.keycloak.sessions.AuthenticationSessionModel;
import org.keycloak.utils.CredentialHelper;

import io.github.grouptotp.policy.GracePeriod;
import io.github.grouptotp.policy.GroupTotpConfig;
import io.github.grouptotp.policy.GroupTotpPolicy;
import io.github.grouptotp.policy.LoginOutcome;
import io.github.grouptotp.policy.Membership;
import io.github.grouptotp.policy.OtpCodeInput;
import io.github.grouptotp.policy.PolicyDecision;
import io.github.grouptotp.policy.RememberedBrowser;
import io.github.grouptotp.policy.RememberedBrowserRules;

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

    static final String FIELD_OTP = "otp";
    static final String CODE_TEMPLATE = "group-totp-code.ftl";
    static final String ENROL_TEMPLATE = "group-totp-enrol.ftl";
    static final String ERROR_TEMPLATE = "group-totp-error.ftl";
    static final String GRACE_TEMPLATE = "group-totp-grace.ftl";
    static final String FIELD_ENROL = "enrol";
    static final String FIELD_SKIP = "skip";

    /** Which page this login was shown last, so that a POST is only accepted for the page it answers. */
    static final String STAGE_NOTE = "group-totp.stage";
    static final String STAGE_CODE = "code";
    static final String STAGE_ENROL = "enrol";
    static final String STAGE_GRACE = "grace";
    /** The secret being enrolled. Server-side only, so a client cannot choose it; dies with the login. */
    static final String ENROL_SECRET_NOTE = "group-totp.enrol-secret";
    /** Set once config problems and unknown groups were logged for this login. */
    static final String CONFIG_LOGGED_NOTE = "group-totp.config-logged";

    static final String MSG_CODE_MISSING = "groupTotp.codeMissing";
    static final String MSG_CODE_MALFORMED = "groupTotp.codeMalformed";
    static final String MSG_CODE_INVALID = "groupTotp.codeInvalid";
    static final String MSG_ENROL_CODE_INVALID = "groupTotp.enrolCodeInvalid";
    static final String MSG_ALREADY_ENROLLED = "groupTotp.alreadyEnrolled";
    static final String MSG_LOCKED_TEMPORARILY = "groupTotp.lockedTemporarily";
    static final String MSG_LOCKED_PERMANENTLY = "groupTotp.lockedPermanently";
    static final String MSG_SESSION_EXPIRED = "groupTotp.sessionExpired";
    static final String MSG_GRACE_OVER = "groupTotp.graceOver";

    @Override
    public void authenticate(AuthenticationFlowContext context) {
        UserModel user = context.getUser();
        GroupTotpConfig config = config(context);
        PolicyDecision decision = decide(context, config);
        boolean enrolled = isEnrolled(user);
        LOG.debugf("user %s: mode %s, enrolled %s", user.getId(), decision.mode(), enrolled);

        switch (decision.nextStep(enrolled)) {
            case ASK_CODE -> {
                // Only users who would be asked for a code can be remembered: it never skips enrolment.
                if (isRememberedBrowser(context, config)) {
                    context.getEvent().detail(EVENT_DETAIL, LoginOutcome.REMEMBERED.eventDetail());
                    context.success();
                    return;
                }
                context.getAuthenticationSession().setAuthNote(STAGE_NOTE, STAGE_CODE);
                context.challenge(codePage(context, null));
            }
            case ENROL -> {
                GracePeriod.Status grace = graceStatus(context, config);
                // A reload after "set it up now" stays on the enrolment the user started.
                boolean enrolmentStarted = STAGE_ENROL.equals(context.getAuthenticationSession().getAuthNote(STAGE_NOTE));
                if (grace.active() && !enrolmentStarted) {
                    context.getAuthenticationSession().setAuthNote(STAGE_NOTE, STAGE_GRACE);
                    context.challenge(gracePage(context, grace));
                } else {
                    startEnrolment(context, null);
                }
            }
            case PASS -> {
                context.getEvent().detail(EVENT_DETAIL, decision.passOutcome().eventDetail());
                context.success();
            }
        }
    }

    @Override
    public void action(AuthenticationFlowContext context) {
        String stage = context.getAuthenticationSession().getAuthNote(STAGE_NOTE);
        if (STAGE_CODE.equals(stage)) {
            verifyCode(context);
        } else if (STAGE_ENROL.equals(stage)) {
            confirmEnrolment(context);
        } else if (STAGE_GRACE.equals(stage)) {
            graceChoice(context);
        } else {
            // A POST for a page this login never showed: refuse it and offer a fresh start.
            LOG.debugf("user %s: form posted without a page shown by this step", context.getUser().getId());
            context.getEvent().user(context.getUser()).error(Errors.INVALID_AUTHENTICATION_SESSION);
            context.forceChallenge(errorPage(context, MSG_SESSION_EXPIRED));
        }
    }

    private static void startEnrolment(AuthenticationFlowContext context, FormMessage message) {
        AuthenticationSessionModel authSession = context.getAuthenticationSession();
        authSession.setAuthNote(STAGE_NOTE, STAGE_ENROL);
        // Keep the secret across page reloads of the same login: the user may have scanned it already.
        if (authSession.getAuthNote(ENROL_SECRET_NOTE) == null) {
            authSession.setAuthNote(ENROL_SECRET_NOTE, HmacOTP.generateSecret(20));
        }
        context.challenge(enrolPage(context, message));
    }

    /** The user answered the grace page: set it up now, or log in without it for now. */
    private void graceChoice(AuthenticationFlowContext context) {
        MultivaluedMap<String, String> form = context.getHttpRequest().getDecodedFormParameters();
        UserModel user = context.getUser();
        if (form.containsKey(FIELD_SKIP)) {
            if (isEnrolled(user)) {
                // Enrolled in another tab since the grace page was shown: the code is needed now.
                context.getAuthenticationSession().setAuthNote(STAGE_NOTE, STAGE_CODE);
                context.challenge(codePage(context, new FormMessage(FIELD_OTP, MSG_ALREADY_ENROLLED)));
                return;
            }
            // Checked again, from the same source as the page: a skip posted after the deadline is refused.
            GracePeriod.Status grace = graceStatus(context, config(context));
            if (!grace.active()) {
                LOG.debugf("user %s: skip refused, grace period over", user.getId());
                context.getEvent().user(user).error(GRACE_OVER_EVENT_ERROR);
                startEnrolment(context, new FormMessage(null, MSG_GRACE_OVER));
                return;
            }
            clearNotes(context.getAuthenticationSession());
            context.getEvent()
                    .detail(EVENT_DETAIL, LoginOutcome.GRACE_SKIPPED.eventDetail())
                    .detail(DEADLINE_EVENT_DETAIL, grace.deadline().orElseThrow().toString());
            context.success();
        } else if (form.containsKey(FIELD_ENROL)) {
            startEnrolment(context, null);
        } else {
            context.challenge(gracePage(context, graceStatus(context, config(context))));
        }
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

    private void verifyCode(AuthenticationFlowContext context) {
        UserModel user = context.getUser();
        String lockError = AuthenticatorUtils.getDisabledByBruteForceEventError(context, user);
        if (lockError != null) {
            // Locked users never get a code check, so a correct guess cannot be confirmed while locked.
            context.getEvent().user(user).error(lockError);
            String message = Errors.USER_TEMPORARILY_DISABLED.equals(lockError)
                    ? MSG_LOCKED_TEMPORARILY : MSG_LOCKED_PERMANENTLY;
            context.forceChallenge(codePage(context, new FormMessage(FIELD_OTP, message)));
            return;
        }

        String raw = formValue(context, FIELD_OTP);
        if (OtpCodeInput.isBlank(raw)) {
            context.challenge(codePage(context, new FormMessage(FIELD_OTP, MSG_CODE_MISSING)));
            return;
        }
        Set<Integer> digitCounts = user.credentialManager().getStoredCredentialsByTypeStream(OTPCredentialModel.TYPE)
                .map(credential -> OTPCredentialModel.createFromCredentialModel(credential).getOTPCredentialData().getDigits())
                .collect(Collectors.toSet());
        Optional<String> code = digitCounts.stream()
                .map(digits -> OtpCodeInput.normalize(raw, digits))
                .flatMap(Optional::stream)
                .findFirst();
        if (code.isEmpty()) {
            // Cannot be a code at all: no guess was made, so it is not counted as a failed attempt.
            int digits = digitCounts.stream().findFirst().orElse(context.getRealm().getOTPPolicy().getDigits());
            context.challenge(codePage(context, new FormMessage(FIELD_OTP, MSG_CODE_MALFORMED, digits)));
            return;
        }

        // isValid also enforces the realm policy's "code reusable" setting.
        Optional<CredentialModel> matched = user.credentialManager().getStoredCredentialsByTypeStream(OTPCredentialModel.TYPE)
                .filter(credential -> user.credentialManager().isValid(
                        new UserCredentialModel(credential.getId(), OTPCredentialModel.TYPE, code.get())))
                .findFirst();
        if (matched.isEmpty()) {
            context.getEvent().user(user).error(Errors.INVALID_USER_CREDENTIALS);
            context.failureChallenge(AuthenticationFlowError.INVALID_CREDENTIALS,
                    codePage(context, new FormMessage(FIELD_OTP, MSG_CODE_INVALID)));
            return;
        }
        clearNotes(context.getAuthenticationSession());
        rememberBrowser(context, matched.get().getId());
        context.getEvent().detail(EVENT_DETAIL, LoginOutcome.VERIFIED.eventDetail());
        context.success(OTPCredentialModel.TYPE);
    }

    private void confirmEnrolment(AuthenticationFlowContext context) {
        UserModel user = context.getUser();
        RealmModel realm = context.getRealm();
        AuthenticationSessionModel authSession = context.getAuthenticationSession();
        String secret = authSession.getAuthNote(ENROL_SECRET_NOTE);
        if (secret == null) {
            context.getEvent().user(user).error(Errors.INVALID_AUTHENTICATION_SESSION);
            context.forceChallenge(errorPage(context, MSG_SESSION_EXPIRED));
            return;
        }
        if (isEnrolled(user)) {
            // Enrolled meanwhile (another tab): never add a second credential without the current code.
            authSession.removeAuthNote(ENROL_SECRET_NOTE);
            authSession.setAuthNote(STAGE_NOTE, STAGE_CODE);
            context.challenge(codePage(context, new FormMessage(FIELD_OTP, MSG_ALREADY_ENROLLED)));
            return;
        }

        OTPPolicy policy = realm.getOTPPolicy();
        String raw = formValue(context, FIELD_OTP);
        if (OtpCodeInput.isBlank(raw)) {
            context.challenge(enrolPage(context, new FormMessage(FIELD_OTP, MSG_CODE_MISSING)));
            return;
        }
        Optional<String> code = OtpCodeInput.normalize(raw, policy.getDigits());
        if (code.isEmpty()) {
            context.challenge(enrolPage(context, new FormMessage(FIELD_OTP, MSG_CODE_MALFORMED, policy.getDigits())));
            return;
        }

        OTPCredentialModel credential = OTPCredentialModel.createFromPolicy(realm, secret);
        // Check before storing: createOTPCredential stores first and validates after.
        if (!CredentialValidation.validOTP(code.get(), credential, policy.getLookAheadWindow())
                || !CredentialHelper.createOTPCredential(context.getSession(), realm, user, code.get(), credential)) {
            // The secret is known to the user only, so a wrong code here guesses nothing: not a brute-force failure.
            context.challenge(enrolPage(context, new FormMessage(FIELD_OTP, MSG_ENROL_CODE_INVALID)));
            return;
        }

        clearNotes(authSession);
        // The credential just made is the user's newest OTP credential (none existed before, see isEnrolled above).
        user.credentialManager().getStoredCredentialsByTypeStream(OTPCredentialModel.TYPE)
                .max(Comparator.comparing(CredentialModel::getCreatedDate, Comparator.nullsFirst(Comparator.naturalOrder())))
                .ifPresent(created -> rememberBrowser(context, created.getId()));
        context.getEvent().clone()
                .event(EventType.UPDATE_CREDENTIAL)
                .user(user)
                .detail(Details.CREDENTIAL_TYPE, OTPCredentialModel.TYPE)
                .success();
        context.getEvent().detail(EVENT_DETAIL, LoginOutcome.ENROLLED.eventDetail());
        context.success(OTPCredentialModel.TYPE);
    }

    /** The step's typed config; unusable values were replaced by safe ones and are logged once per login. */
    private static GroupTotpConfig config(AuthenticationFlowContext context) {
        AuthenticatorConfigModel configModel = context.getAuthenticatorConfig();
        GroupTotpConfig config = GroupTotpConfig.from(configModel == null ? null : configModel.getConfig());
        if (!config.problems().isEmpty() && firstLogOfThisLogin(context)) {
            LOG.errorf("Group TOTP policy in flow '%s' of realm '%s' has unusable settings: %s",
                    context.getTopLevelFlow().getAlias(), context.getRealm().getName(), String.join("; ", config.problems()));
        }
        return config;
    }

    private static boolean firstLogOfThisLogin(AuthenticationFlowContext context) {
        AuthenticationSessionModel authSession = context.getAuthenticationSession();
        return authSession.getAuthNote(CONFIG_LOGGED_NOTE) == null;
    }

    private static PolicyDecision decide(AuthenticationFlowContext context, GroupTotpConfig config) {
        KeycloakSession session = context.getSession();
        RealmModel realm = context.getRealm();
        UserModel user = context.getUser();

        PolicyDecision decision = new GroupTotpPolicy(config).decide(path -> {
            GroupModel group = KeycloakModelUtils.findGroupByPath(session, realm, path);
            if (group == null) {
                return Membership.UNKNOWN_GROUP;
            }
            return user.isMemberOf(group) ? Membership.MEMBER : Membership.NOT_MEMBER;
        });

        if (!decision.unknownGroups().isEmpty() && firstLogOfThisLogin(context)) {
            LOG.errorf("Group TOTP policy in flow '%s' of realm '%s' names groups that do not exist: %s. "
                            + "A missing required group makes users outside the optional and exempt groups required. "
                            + "User %s was treated as %s.",
                    context.getTopLevelFlow().getAlias(), realm.getName(), decision.unknownGroups(),
                    user.getId(), decision.mode());
        }
        context.getAuthenticationSession().setAuthNote(CONFIG_LOGGED_NOTE, "true");
        return decision;
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
                user.credentialManager().getStoredCredentialsByTypeStream(OTPCredentialModel.TYPE)
                        .map(CredentialModel::getId).collect(Collectors.toSet()),
                Instant.ofEpochSecond(session.users().getNotBeforeOfUser(realm, user)),
                Instant.ofEpochSecond(realm.getNotBefore()),
                config.rememberHours());
        Optional<String> rejection = RememberedBrowserRules.rejection(cookie.get(), expected, now());
        // Never the cookie's value: it would let a log reader replay it.
        rejection.ifPresent(reason -> LOG.debugf("user %s: remembered-browser cookie ignored: %s", user.getId(), reason));
        return rejection.isEmpty();
    }

    private static void rememberBrowser(AuthenticationFlowContext context, String credentialId) {
        int hours = config(context).rememberHours();
        if (hours > 0) {
            RememberedBrowserCookie.issue(context.getSession(), context.getRealm(), context.getUser(), credentialId, hours, now());
        }
    }

    /** Keycloak's clock, which honours the server's time offset like the rest of Keycloak. */
    private static Instant now() {
        return Instant.ofEpochMilli(Time.currentTimeMillis());
    }

    private static boolean isEnrolled(UserModel user) {
        return user.credentialManager().isConfiguredFor(OTPCredentialModel.TYPE);
    }

    private static String formValue(AuthenticationFlowContext context, String field) {
        MultivaluedMap<String, String> form = context.getHttpRequest().getDecodedFormParameters();
        return form == null ? null : form.getFirst(field);
    }

    private static void clearNotes(AuthenticationSessionModel authSession) {
        authSession.removeAuthNote(STAGE_NOTE);
        authSession.removeAuthNote(ENROL_SECRET_NOTE);
    }

    private static Response codePage(AuthenticationFlowContext context, FormMessage error) {
        LoginFormsProvider form = context.form();
        if (error != null) {
            form.addError(error);
        }
        return form.createForm(CODE_TEMPLATE);
    }

    private static Response enrolPage(AuthenticationFlowContext context, FormMessage error) {
        KeycloakSession session = context.getSession();
        RealmModel realm = context.getRealm();
        UserModel user = context.getUser();
        String secret = context.getAuthenticationSession().getAuthNote(ENROL_SECRET_NOTE);
        LoginFormsProvider form = context.form()
                .setAttribute("enrolment", new TotpBean(session, realm, user, context.getUriInfo().getRequestUriBuilder(), secret))
                .setAttribute("otpauthUri", realm.getOTPPolicy().getKeyURI(realm, user, secret));
        if (error != null) {
            form.addError(error);
        }
        return form.createForm(ENROL_TEMPLATE);
    }

    private static Response gracePage(AuthenticationFlowContext context, GracePeriod.Status grace) {
        Locale locale = context.getSession().getContext().resolveLocale(context.getUser());
        LocalDate deadline = grace.deadlineDate().orElseThrow();
        return context.form()
                .setAttribute("graceDeadline", deadline.toString())
                .setAttribute("graceDeadlineText", DateTimeFormatter.ofLocalizedDate(FormatStyle.LONG).withLocale(locale).format(deadline))
                .setAttribute("graceDaysLeft", grace.daysLeft(now()))
                .createForm(GRACE_TEMPLATE);
    }

    private static Response errorPage(AuthenticationFlowContext context, String message) {
        return context.form().setError(message).createForm(ERROR_TEMPLATE);
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

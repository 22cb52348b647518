package io.github.grouptotp.keycloak.pages;

import java.text.NumberFormat;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.format.FormatStyle;
import java.util.List;
import java.util.Locale;

import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.UriBuilder;

import org.keycloak.forms.login.LoginFormsProvider;
import org.keycloak.forms.login.freemarker.model.TotpBean;
import org.keycloak.models.KeycloakSession;
import org.keycloak.models.RealmModel;
import org.keycloak.models.UserModel;
import org.keycloak.models.utils.FormMessage;

/**
 * The extension's pages, for the flow step and the reset required action alike: the one place that knows template
 * names, form field names and message keys. They are a contract with theme authors and test suites.
 */
public final class TotpPages {

    public static final String CODE_TEMPLATE = "group-totp-code.ftl";
    public static final String ENROL_TEMPLATE = "group-totp-enrol.ftl";
    public static final String GRACE_TEMPLATE = "group-totp-grace.ftl";
    public static final String RECOVERY_TEMPLATE = "group-totp-recovery.ftl";
    public static final String RECOVERY_CODES_TEMPLATE = "group-totp-recovery-codes.ftl";
    public static final String ERROR_TEMPLATE = "group-totp-error.ftl";
    public static final String RESET_PASS_TEMPLATE = "group-totp-reset-pass.ftl";
    public static final String CHOOSE_TEMPLATE = "group-totp-choose.ftl";

    public static final String FIELD_OTP = "otp";
    public static final String FIELD_ENROL = "enrol";
    public static final String FIELD_SKIP = "skip";
    /** On the code page: "Lost your phone? Use a recovery code". */
    public static final String FIELD_USE_RECOVERY = "recovery";
    /** On the recovery page: back to the code page. */
    public static final String FIELD_USE_CODE = "code";
    /** Keycloak's own name for the recovery code field. */
    public static final String FIELD_RECOVERY_CODE = "recoveryCodeInput";
    /** On the one-time pass page after an admin's reset. */
    public static final String FIELD_ONE_TIME_PASS = "oneTimePass";
    /** On the new recovery codes page: "I have saved these codes". */
    public static final String FIELD_CODES_SAVED = "saved";
    /** A submit button naming a second factor ({@code otp}, {@code webauthn}, {@code passkey}): use or set up that one. */
    public static final String FIELD_FACTOR = "factor";

    public static final String MSG_CODE_MISSING = "groupTotp.codeMissing";
    public static final String MSG_CODE_MALFORMED = "groupTotp.codeMalformed";
    public static final String MSG_CODE_INVALID = "groupTotp.codeInvalid";
    public static final String MSG_ENROL_CODE_INVALID = "groupTotp.enrolCodeInvalid";
    public static final String MSG_ALREADY_ENROLLED = "groupTotp.alreadyEnrolled";
    public static final String MSG_ENROL_BUSY = "groupTotp.enrolBusy";
    public static final String MSG_LOCKED_TEMPORARILY = "groupTotp.lockedTemporarily";
    public static final String MSG_LOCKED_PERMANENTLY = "groupTotp.lockedPermanently";
    public static final String MSG_THROTTLED = "groupTotp.throttled";
    public static final String MSG_SESSION_EXPIRED = "groupTotp.sessionExpired";
    public static final String MSG_TOO_MANY_WRONG_CODES = "groupTotp.tooManyWrongCodes";
    public static final String MSG_GRACE_OVER = "groupTotp.graceOver";
    public static final String MSG_RESET_INTRO = "groupTotp.resetIntro";
    public static final String MSG_RECOVERY_USED_INTRO = "groupTotp.recoveryUsedIntro";
    public static final String MSG_RESET_CONFIRM_CODE = "groupTotp.resetConfirmCode";
    public static final String MSG_RECOVERY_MISSING = "groupTotp.recoveryMissing";
    public static final String MSG_RECOVERY_INVALID = "groupTotp.recoveryInvalid";
    public static final String MSG_RECOVERY_BUSY = "groupTotp.recoveryBusy";
    public static final String MSG_CODES_NOT_SAVED = "groupTotp.recoveryCodesNotSaved";
    public static final String MSG_RESET_PASS_MISSING = "groupTotp.resetPassMissing";
    public static final String MSG_RESET_PASS_INVALID = "groupTotp.resetPassInvalid";
    public static final String MSG_RESET_PASS_EXPIRED = "groupTotp.resetPassExpired";
    public static final String MSG_CONFIRM_ACCOUNT_CHANGE = "groupTotp.confirmAccountChange";
    public static final String MSG_FACTOR_LOST = "groupTotp.factorLost";
    public static final String MSG_WEBAUTHN_INVALID = "groupTotp.webauthnInvalid";
    public static final String MSG_WEBAUTHN_NOT_USED = "groupTotp.webauthnNotUsed";
    public static final String MSG_CONFIRM_ACCOUNT_CHANGE_KEY = "groupTotp.confirmAccountChangeKey";
    public static final String MSG_RESET_CONFIRM_KEY = "groupTotp.resetConfirmKey";
    public static final String MSG_WEBAUTHN_REGISTER_FAILED = "groupTotp.webauthnRegisterFailed";

    private static final DateTimeFormatter CLOCK = DateTimeFormatter.ofPattern("HH:mm").withZone(ZoneOffset.UTC);

    private TotpPages() {
    }

    public static Response code(LoginFormsProvider form, boolean offerRecovery, FormMessage message) {
        return code(form, offerRecovery, List.of(), message);
    }

    /** @param otherFactors the user's security key and passkey ({@code webauthn}, {@code passkey}), offered instead of the code */
    public static Response code(LoginFormsProvider form, boolean offerRecovery, List<String> otherFactors, FormMessage message) {
        form.setAttribute("groupTotpRecoveryOffered", offerRecovery);
        form.setAttribute("groupTotpOtherFactors", otherFactors);
        return withMessage(form, message).createForm(CODE_TEMPLATE);
    }

    public static Response enrol(LoginFormsProvider form, KeycloakSession session, RealmModel realm, UserModel user,
                                 UriBuilder requestUri, String secret, FormMessage message) {
        form.setAttribute("enrolment", new TotpBean(session, realm, user, requestUri, secret))
                .setAttribute("otpauthUri", realm.getOTPPolicy().getKeyURI(realm, user, secret));
        return withMessage(form, message).createForm(ENROL_TEMPLATE);
    }

    /** @param choices the factors the user may set up ({@code otp}, {@code webauthn}, {@code passkey}) */
    public static Response grace(LoginFormsProvider form, Locale locale, LocalDate deadline, long daysLeft, List<String> choices) {
        return form.setAttribute("groupTotpChoices", choices)
                .setAttribute("graceDeadline", deadline.toString())
                .setAttribute("graceDeadlineText", dateText(deadline, locale))
                .setAttribute("graceDaysLeft", daysLeft)
                .setAttribute("graceDaysLeftText", numberText(daysLeft, locale))
                .createForm(GRACE_TEMPLATE);
    }

    /** A deadline as users read it on the grace page and in the reminder mail: "15 January 2027", "15 januari 2027". */
    public static String dateText(LocalDate date, Locale locale) {
        return DateTimeFormatter.ofLocalizedDate(FormatStyle.LONG).withLocale(locale).format(date);
    }

    /** A count as text (26, 1,234, 1.234): formatted here because Keycloak releases format message numbers differently. */
    public static String numberText(long count, Locale locale) {
        return NumberFormat.getIntegerInstance(locale).format(count);
    }

    /** Which factor to set up, when the authenticator app is not one of the choices. */
    public static Response choose(LoginFormsProvider form, List<String> choices, FormMessage message) {
        form.setAttribute("groupTotpChoices", choices);
        return withMessage(form, message).createForm(CHOOSE_TEMPLATE);
    }

    public static Response resetPass(LoginFormsProvider form, FormMessage message) {
        return withMessage(form, message).createForm(RESET_PASS_TEMPLATE);
    }

    public static Response recovery(LoginFormsProvider form, FormMessage message) {
        return withMessage(form, message).createForm(RECOVERY_TEMPLATE);
    }

    /** The new recovery codes, once, as the user must save them: grouped for reading, as Keycloak shows them. */
    public static Response recoveryCodes(LoginFormsProvider form, List<String> codes, FormMessage message) {
        form.setAttribute("recoveryCodes", codes.stream().map(TotpPages::grouped).toList());
        return withMessage(form, message).createForm(RECOVERY_CODES_TEMPLATE);
    }

    public static Response error(LoginFormsProvider form, String message) {
        return form.setError(message).createForm(ERROR_TEMPLATE);
    }

    /** "Codes are not accepted until 14:32 UTC (12 minutes)" on the field, for a user at the per-user limit. */
    public static FormMessage throttled(String field, Instant until, Instant now) {
        long minutes = Math.max(1, (Duration.between(now, until).toSeconds() + 59) / 60);
        return new FormMessage(field, MSG_THROTTLED, CLOCK.format(until), minutes);
    }

    /** XXXX-XXXX-XXXX, as Keycloak's own recovery-codes page shows a code. */
    static String grouped(String code) {
        StringBuilder text = new StringBuilder();
        for (int i = 0; i < code.length(); i += 4) {
            if (i > 0) {
                text.append('-');
            }
            text.append(code, i, Math.min(code.length(), i + 4));
        }
        return text.toString();
    }

    /** An error on its field, or for the whole page when it names no field. */
    private static LoginFormsProvider withMessage(LoginFormsProvider form, FormMessage message) {
        return message == null ? form : form.addError(message);
    }
}

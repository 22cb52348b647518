package io.github.grouptotp.keycloak;

import java.time.LocalDate;
import java.time.format.DateTimeFormatter;
import java.time.format.FormatStyle;
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
 * The step's pages, shared by the flow step and the reset required action. Template names, form field names and
 * message keys are a contract with theme authors and test suites.
 */
final class TotpPages {

    static final String CODE_TEMPLATE = "group-totp-code.ftl";
    static final String ENROL_TEMPLATE = "group-totp-enrol.ftl";
    static final String GRACE_TEMPLATE = "group-totp-grace.ftl";
    static final String RECOVERY_TEMPLATE = "group-totp-recovery.ftl";
    static final String ERROR_TEMPLATE = "group-totp-error.ftl";

    static final String FIELD_OTP = "otp";
    static final String FIELD_ENROL = "enrol";
    static final String FIELD_SKIP = "skip";
    /** On the code page: "Lost your phone? Use a recovery code". */
    static final String FIELD_USE_RECOVERY = "recovery";
    /** On the recovery page: back to the code page. */
    static final String FIELD_USE_CODE = "code";
    /** Keycloak's own name for the recovery code field. */
    static final String FIELD_RECOVERY_CODE = "recoveryCodeInput";

    static final String MSG_CODE_MISSING = "groupTotp.codeMissing";
    static final String MSG_CODE_MALFORMED = "groupTotp.codeMalformed";
    static final String MSG_CODE_INVALID = "groupTotp.codeInvalid";
    static final String MSG_ENROL_CODE_INVALID = "groupTotp.enrolCodeInvalid";
    static final String MSG_ALREADY_ENROLLED = "groupTotp.alreadyEnrolled";
    static final String MSG_ENROL_BUSY = "groupTotp.enrolBusy";
    static final String MSG_LOCKED_TEMPORARILY = "groupTotp.lockedTemporarily";
    static final String MSG_LOCKED_PERMANENTLY = "groupTotp.lockedPermanently";
    static final String MSG_SESSION_EXPIRED = "groupTotp.sessionExpired";
    static final String MSG_TOO_MANY_WRONG_CODES = "groupTotp.tooManyWrongCodes";
    static final String MSG_GRACE_OVER = "groupTotp.graceOver";
    static final String MSG_RESET_INTRO = "groupTotp.resetIntro";
    static final String MSG_RESET_CONFIRM_CODE = "groupTotp.resetConfirmCode";
    static final String MSG_RECOVERY_MISSING = "groupTotp.recoveryMissing";
    static final String MSG_RECOVERY_INVALID = "groupTotp.recoveryInvalid";

    private TotpPages() {
    }

    static Response code(LoginFormsProvider form, boolean offerRecovery, FormMessage message) {
        form.setAttribute("groupTotpRecoveryOffered", offerRecovery);
        return withMessage(form, message).createForm(CODE_TEMPLATE);
    }

    static Response enrol(LoginFormsProvider form, KeycloakSession session, RealmModel realm, UserModel user,
                          UriBuilder requestUri, String secret, FormMessage message) {
        form.setAttribute("enrolment", new TotpBean(session, realm, user, requestUri, secret))
                .setAttribute("otpauthUri", realm.getOTPPolicy().getKeyURI(realm, user, secret));
        return withMessage(form, message).createForm(ENROL_TEMPLATE);
    }

    static Response grace(LoginFormsProvider form, Locale locale, LocalDate deadline, long daysLeft) {
        return form.setAttribute("graceDeadline", deadline.toString())
                .setAttribute("graceDeadlineText", DateTimeFormatter.ofLocalizedDate(FormatStyle.LONG).withLocale(locale).format(deadline))
                .setAttribute("graceDaysLeft", daysLeft)
                .createForm(GRACE_TEMPLATE);
    }

    static Response recovery(LoginFormsProvider form, FormMessage message) {
        return withMessage(form, message).createForm(RECOVERY_TEMPLATE);
    }

    static Response error(LoginFormsProvider form, String message) {
        return form.setError(message).createForm(ERROR_TEMPLATE);
    }

    /** An error on its field, or for the whole page when it names no field. */
    private static LoginFormsProvider withMessage(LoginFormsProvider form, FormMessage message) {
        return message == null ? form : form.addError(message);
    }
}

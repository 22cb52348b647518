package io.github.grouptotp.keycloak.steps;

import java.util.Comparator;
import java.util.Optional;

import jakarta.ws.rs.core.Response;

import org.jboss.logging.Logger;
import org.keycloak.WebAuthnConstants;
import org.keycloak.credential.CredentialModel;
import org.keycloak.forms.login.LoginFormsProvider;
import org.keycloak.models.utils.FormMessage;

import io.github.grouptotp.keycloak.LoginRecord;
import io.github.grouptotp.keycloak.LoginRequest;
import io.github.grouptotp.keycloak.enrolment.EnrolmentChoices;
import io.github.grouptotp.keycloak.enrolment.SecondFactors;
import io.github.grouptotp.keycloak.enrolment.TotpEnrolment;
import io.github.grouptotp.keycloak.pages.TotpPages;
import io.github.grouptotp.keycloak.remember.RememberedBrowserCookie;
import io.github.grouptotp.keycloak.webauthn.KeycloakWebAuthn;
import io.github.grouptotp.policy.LoginOutcome;
import io.github.grouptotp.policy.SecondFactor;

/**
 * A new security key or passkey, through Keycloak's own registration page and check inside the login
 * ({@link LoginRecord.Stage#REGISTER_KEY}): offered where the policy lets the user choose it
 * ({@link EnrolmentChoices}), under the one rule on new factors ({@link FactorChanges}). The login ends in the step
 * once Keycloak stored it: LOGIN detail {@code group_totp=enrolled} and {@value LoginRecord#FACTOR_EVENT_DETAIL}.
 */
final class KeyRegistrationPage {

    private static final Logger LOG = Logger.getLogger(KeyRegistrationPage.class);
    /** Which factor the registration page shows: the answer is checked by the same Keycloak registration. */
    private static final String FACTOR_NOTE = "group-totp.register-factor";

    private KeyRegistrationPage() {
    }

    static StepResult show(LoginRequest request, SecondFactor factor, FormMessage message) {
        if (!allowed(request, factor)) {
            return new StepResult.Show(ErrorPages.sessionExpired(request));
        }
        request.record().stage(LoginRecord.Stage.REGISTER_KEY);
        request.authSession().setAuthNote(FACTOR_NOTE, factor.configName());
        LoginFormsProvider form = request.form();
        if (message != null) {
            form.addError(message);
        }
        Optional<Response> page = KeycloakWebAuthn.registrationPage(request, factor, form);
        return new StepResult.Show(page.orElseGet(() -> ErrorPages.sessionExpired(request)));
    }

    static StepResult answer(LoginRequest request) {
        Optional<SecondFactor> factor = Optional.ofNullable(request.authSession().getAuthNote(FACTOR_NOTE))
                .flatMap(SecondFactor::ofConfigName);
        if (factor.isEmpty() || !allowed(request, factor.get())) {
            return new StepResult.Show(ErrorPages.sessionExpired(request));
        }
        String retry = request.formValue(WebAuthnConstants.IS_SET_RETRY);
        if (retry != null && !retry.isBlank()) {
            return show(request, factor.get(), null);
        }
        if (!KeycloakWebAuthn.register(request, factor.get()).valid()) {
            // Keycloak sent its UPDATE_CREDENTIAL_ERROR; a failed registration guesses nothing.
            return show(request, factor.get(), new FormMessage(null, TotpPages.MSG_WEBAUTHN_REGISTER_FAILED));
        }
        SecondFactors.noteIfMissing(request.user());
        newest(request, factor.get()).ifPresent(credentialId -> RememberedBrowserCookie.issueIfEnabled(request.session(),
                request.realm(), request.user(), credentialId, request.config().rememberHours(), LoginRecord.now()));
        request.event().detail(LoginRecord.FACTOR_EVENT_DETAIL, factor.get().configName());
        LOG.debugf("user %s: %s registered in the step", request.user().getId(), factor.get());
        return StepResult.Done.with(LoginOutcome.ENROLLED, factor.get());
    }

    /** Offered to this user now, and no factor of theirs would be replaced without proof. */
    private static boolean allowed(LoginRequest request, SecondFactor factor) {
        if (!factor.phishingResistant() || !EnrolmentChoices.of(request).contains(factor)) {
            return false;
        }
        if (TotpEnrolment.inProgress(request) && TotpEnrolment.reason(request) != LoginOutcome.ENROLLED) {
            return false; // a reset or a recovery code is completed by its new app only
        }
        if (!FactorChanges.mayReplace(request)) {
            LOG.errorf("user %s: a new security key or passkey without proof was refused", request.user().getId());
            return false;
        }
        return true;
    }

    /** The credential Keycloak just stored: the user's newest of that type. */
    private static Optional<String> newest(LoginRequest request, SecondFactor factor) {
        return request.user().credentialManager().getStoredCredentialsByTypeStream(factor.credentialType())
                .max(Comparator.comparing(c -> c.getCreatedDate() == null ? 0L : c.getCreatedDate()))
                .map(CredentialModel::getId);
    }
}

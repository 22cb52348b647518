package io.github.grouptotp.keycloak.steps;

import java.util.Arrays;
import java.util.Base64;
import java.util.Map;
import java.util.Optional;

import jakarta.ws.rs.core.Response;

import org.keycloak.WebAuthnConstants;
import org.keycloak.common.util.Base64Url;
import org.keycloak.credential.CredentialModel;
import org.keycloak.forms.login.LoginFormsProvider;
import org.keycloak.models.credential.WebAuthnCredentialModel;
import org.keycloak.models.utils.FormMessage;

import io.github.grouptotp.keycloak.LoginRecord;
import io.github.grouptotp.keycloak.LoginRequest;
import io.github.grouptotp.keycloak.enrolment.SecondFactors;
import io.github.grouptotp.keycloak.guard.Attempts;
import io.github.grouptotp.keycloak.pages.TotpPages;
import io.github.grouptotp.keycloak.remember.RememberedBrowserCookie;
import io.github.grouptotp.keycloak.webauthn.KeycloakWebAuthn;
import io.github.grouptotp.policy.EarlierFactor;
import io.github.grouptotp.policy.LoginOutcome;
import io.github.grouptotp.policy.SecondFactor;
import io.github.grouptotp.policy.SecretKind;

/**
 * The user's security key or passkey, through Keycloak's own WebAuthn page and check: at login and before an account
 * change ({@link LoginRecord.Stage#SECURITY_KEY}), and before a reset the user started
 * ({@link LoginRecord.Stage#CURRENT_SECURITY_KEY}). A valid signature is this login's proof, as a right code is, and
 * remembers the browser; a wrong one counts as a wrong secret. A browser that gave no answer (the user cancelled, or
 * had no key at hand) guessed nothing: the user may try again or use the authenticator app instead.
 */
final class SecurityKeyPage {

    /** Which factor the page showed asks for: the answer is checked by the same Keycloak authenticator. */
    private static final String FACTOR_NOTE = "group-totp.webauthn-factor";

    private SecurityKeyPage() {
    }

    /** @param info a line above the button, e.g. why the key is asked again; null for none */
    static StepResult show(LoginRequest request, SecondFactor factor, boolean beforeReset, String info, FormMessage message) {
        request.record().stage(beforeReset ? LoginRecord.Stage.CURRENT_SECURITY_KEY : LoginRecord.Stage.SECURITY_KEY);
        request.authSession().setAuthNote(FACTOR_NOTE, factor.configName());
        LoginFormsProvider form = request.form();
        if (info != null) {
            form.setInfo(info);
        }
        if (message != null) {
            form.addError(message);
        }
        Optional<Response> page = KeycloakWebAuthn.page(request, factor, form);
        // No page: the credential went between the check and now; nothing of it can be asked.
        return new StepResult.Show(page.orElseGet(() -> ErrorPages.sessionExpired(request)));
    }

    static StepResult answer(LoginRequest request, boolean beforeReset) {
        Optional<SecondFactor> factor = Optional.ofNullable(request.authSession().getAuthNote(FACTOR_NOTE))
                .flatMap(SecondFactor::ofConfigName).filter(SecondFactor::phishingResistant)
                .filter(shown -> SecondFactors.held(request.user()).contains(shown));
        if (factor.isEmpty()) {
            return new StepResult.Show(ErrorPages.sessionExpired(request));
        }
        String browserError = request.formValue(WebAuthnConstants.ERROR);
        if (browserError != null && !browserError.isBlank()) {
            return notUsed(request, factor.get(), beforeReset);
        }
        KeycloakWebAuthn.Verdict[] verdict = new KeycloakWebAuthn.Verdict[1];
        Attempts.Result result = Attempts.check(request, kind(factor.get()), () -> {
            verdict[0] = KeycloakWebAuthn.verify(request, factor.get());
            // Keycloak's details (credential type, key id, why it refused) go on the step's own LOGIN or LOGIN_ERROR.
            verdict[0].details().forEach((key, value) -> request.event().detail(key, value));
            return verdict[0].valid() ? Attempts.Check.RIGHT : Attempts.Check.WRONG;
        });
        if (!result.valid()) {
            return Refusals.show(request, result, null, TotpPages.MSG_WEBAUTHN_INVALID, TotpPages.MSG_WEBAUTHN_INVALID,
                    message -> ((StepResult.Show) show(request, factor.get(), beforeReset, null, message)).page());
        }
        if (beforeReset) {
            return EnrolPage.begin(request, LoginOutcome.RESET, null);
        }
        credentialUsed(request, factor.get(), verdict[0].details()).ifPresent(credentialId -> RememberedBrowserCookie.issueIfEnabled(
                request.session(), request.realm(), request.user(), credentialId, request.config().rememberHours(), LoginRecord.now()));
        return StepResult.Done.with(EarlierFactor.outcomeOf(factor.get()), factor.get());
    }

    /** No answer from the browser: the app's code where the user has one, else the key's page again, with why. */
    private static StepResult notUsed(LoginRequest request, SecondFactor factor, boolean beforeReset) {
        FormMessage message = new FormMessage(null, TotpPages.MSG_WEBAUTHN_NOT_USED);
        if (SecondFactors.held(request.user()).contains(SecondFactor.OTP)) {
            return beforeReset ? CurrentCodePage.show(request, message) : CodePage.show(request, message);
        }
        return show(request, factor, beforeReset, null, message);
    }

    private static SecretKind kind(SecondFactor factor) {
        return factor == SecondFactor.PASSKEY ? SecretKind.PASSKEY : SecretKind.SECURITY_KEY;
    }

    /** The stored credential Keycloak checked (its event names the key's WebAuthn id), which a remembered browser stands for. */
    private static Optional<String> credentialUsed(LoginRequest request, SecondFactor factor, Map<String, String> details) {
        String keyId = details.get(WebAuthnConstants.PUBKEY_CRED_ID_ATTR);
        if (keyId == null) {
            return Optional.empty();
        }
        byte[] used = Base64Url.decode(keyId);
        return request.user().credentialManager().getStoredCredentialsByTypeStream(factor.credentialType())
                .filter(stored -> Arrays.equals(used, storedKeyId(stored)))
                .map(CredentialModel::getId).findFirst();
    }

    private static byte[] storedKeyId(CredentialModel stored) {
        try {
            // Stored as Keycloak's WebAuthn provider writes and reads it.
            return Base64.getMimeDecoder().decode(WebAuthnCredentialModel.createFromCredentialModel(stored).getWebAuthnCredentialData().getCredentialId());
        } catch (RuntimeException unreadable) {
            return new byte[0];
        }
    }
}

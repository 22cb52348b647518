package io.github.grouptotp.keycloak.steps;

import java.util.List;
import java.util.Optional;
import java.util.Set;

import org.keycloak.models.utils.FormMessage;

import io.github.grouptotp.keycloak.LoginRequest;
import io.github.grouptotp.keycloak.enrolment.SecondFactors;
import io.github.grouptotp.keycloak.pages.TotpPages;
import io.github.grouptotp.policy.SecondFactor;

/**
 * Which page asks for the user's own second factor: the first of the user's factors in Keycloak's credential order
 * that meets the policy, else the first one (the code page for an authenticator app, Keycloak's WebAuthn page for a
 * security key or passkey); the code page offers the user's other factors as {@value TotpPages#FIELD_FACTOR} buttons.
 */
final class ProofPages {

    private ProofPages() {
    }

    /** At login, or before an account change ({@code why} then says so); {@code codeMessage} is for the code page. */
    static StepResult login(LoginRequest request, FormMessage codeMessage, String why) {
        SecondFactor first = first(request);
        if (first == SecondFactor.OTP) {
            return CodePage.show(request, codeMessage, why);
        }
        return SecurityKeyPage.show(request, first, false, why == null ? null : TotpPages.MSG_CONFIRM_ACCOUNT_CHANGE_KEY, null);
    }

    /** Before a reset the user started: the current factor first. */
    static StepResult beforeReset(LoginRequest request) {
        SecondFactor first = first(request);
        if (first == SecondFactor.OTP) {
            return CurrentCodePage.show(request, null);
        }
        return SecurityKeyPage.show(request, first, true, TotpPages.MSG_RESET_CONFIRM_KEY, null);
    }

    /** The page of the factor the user picked on the code page, if the user has it. */
    static Optional<StepResult> picked(LoginRequest request, boolean beforeReset) {
        return Optional.ofNullable(request.formValue(TotpPages.FIELD_FACTOR)).flatMap(SecondFactor::ofConfigName)
                .filter(SecondFactor::phishingResistant)
                .filter(factor -> SecondFactors.held(request.user()).contains(factor))
                .map(factor -> SecurityKeyPage.show(request, factor, beforeReset,
                        beforeReset ? TotpPages.MSG_RESET_CONFIRM_KEY : null, null));
    }

    /** The user's security key and passkey, by their names in the {@value TotpPages#FIELD_FACTOR} buttons. */
    static List<String> otherThanApp(LoginRequest request) {
        return SecondFactors.held(request.user()).stream().filter(SecondFactor::phishingResistant).map(SecondFactor::configName).toList();
    }

    /** The first of the user's factors that meets the policy, else the first of them. */
    private static SecondFactor first(LoginRequest request) {
        List<SecondFactor> held = SecondFactors.held(request.user());
        Set<SecondFactor> wanted = request.record().mustSatisfy();
        // No factor at all cannot reach here (the callers checked); the code page then refuses every code.
        return held.stream().filter(wanted::contains).findFirst().orElse(held.stream().findFirst().orElse(SecondFactor.OTP));
    }
}

package io.github.grouptotp.keycloak.enrolment;

import java.util.Arrays;
import java.util.List;
import java.util.Set;

import io.github.grouptotp.keycloak.LoginRequest;
import io.github.grouptotp.keycloak.RequiredActions;
import io.github.grouptotp.keycloak.webauthn.KeycloakWebAuthn;
import io.github.grouptotp.policy.SecondFactor;

/**
 * Which second factors a required user may set up in this login, and whether the user's factors meet the policy:
 * the ones the policy's decision at the login's start named ({@link io.github.grouptotp.keycloak.LoginRecord#mustSatisfy}),
 * a security key or passkey only where the realm keeps Keycloak's registration of it enabled (an admin who disabled
 * *Webauthn Register* does not want keys registered). Outside the browser step (no decision recorded) only the app.
 */
public final class EnrolmentChoices {

    private EnrolmentChoices() {
    }

    /** The factors the user may set up now, in the order they are offered (app, security key, passkey). */
    public static List<SecondFactor> of(LoginRequest request) {
        Set<SecondFactor> wanted = request.record().mustSatisfy();
        if (wanted.isEmpty()) {
            return List.of(SecondFactor.OTP);
        }
        List<SecondFactor> offered = Arrays.stream(SecondFactor.values()).filter(wanted::contains).toList();
        List<SecondFactor> enabled = offered.stream().filter(factor -> factor == SecondFactor.OTP
                || RequiredActions.isEnabled(request.realm(), KeycloakWebAuthn.registrationAction(factor))).toList();
        // Both registrations disabled where only keys count: still offered, an admin's switch must not lock users out.
        return enabled.isEmpty() ? offered : enabled;
    }

    /** Their names, for the pages' {@code factor} buttons. */
    public static List<String> names(LoginRequest request) {
        return of(request).stream().map(SecondFactor::configName).toList();
    }

    /** Whether the user has a factor that meets the policy (any factor, where no decision was recorded). */
    public static boolean met(LoginRequest request) {
        List<SecondFactor> held = SecondFactors.held(request.user());
        Set<SecondFactor> wanted = request.record().mustSatisfy();
        return wanted.isEmpty() ? !held.isEmpty() : SecondFactor.meets(held, wanted);
    }
}

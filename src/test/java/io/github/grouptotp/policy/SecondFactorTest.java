package io.github.grouptotp.policy;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.Optional;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class SecondFactorTest {

    @ParameterizedTest(name = "credential type {0}: {1}")
    @CsvSource({
            "otp, OTP",
            "webauthn, WEBAUTHN",
            "webauthn-passwordless, PASSKEY",
            // Keycloak's other credential types are no second factor of the policy.
            "password,",
            "recovery-authn-codes,",
            "group-totp-second-factor,",
            "OTP,",
            "passkey,",
    })
    void keycloaksCredentialTypes(String type, SecondFactor expected) {
        assertEquals(Optional.ofNullable(expected), SecondFactor.ofCredentialType(type));
    }

    @ParameterizedTest(name = "name {0}: {1}")
    @CsvSource({
            "otp, OTP",
            "webauthn, WEBAUTHN",
            "passkey, PASSKEY",
            "webauthn-passwordless,",
            "Passkey,",
            "' passkey',",
            "sms,",
    })
    void namesInSettingsAndButtons(String name, SecondFactor expected) {
        assertEquals(Optional.ofNullable(expected), SecondFactor.ofConfigName(name));
    }

    @ParameterizedTest(name = "{0}: phishing-resistant {1}, outcome {2}")
    @CsvSource({"OTP, false, VERIFIED", "WEBAUTHN, true, SECURITY_KEY", "PASSKEY, true, PASSKEY"})
    void whatEachFactorIs(SecondFactor factor, boolean phishingResistant, LoginOutcome outcome) {
        assertEquals(phishingResistant, factor.phishingResistant());
        assertEquals(outcome, EarlierFactor.outcomeOf(factor));
    }
}

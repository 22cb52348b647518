package io.github.grouptotp.policy;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.Arrays;
import java.util.Optional;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class EarlierFactorTest {

    @ParameterizedTest(name = "credentials used [{0}]: {1}")
    @CsvSource(delimiter = '|', value = {
            "|",
            "password|",
            "password otp|",
            // Only Keycloak's two WebAuthn types stand in for the code; a look-alike name does not.
            "webauthn-passwordless-x webauthn2|",
            "webauthn-passwordless|PASSKEY",
            "password webauthn|SECURITY_KEY",
            // Both in one login: the passkey is what the user signed in with.
            "webauthn webauthn-passwordless|PASSKEY",
    })
    void aPasskeyOrSecurityKeyCheckedEarlierStandsInForTheCode(String used, LoginOutcome expected) {
        var types = used == null ? java.util.List.<String>of() : Arrays.asList(used.split(" "));
        assertEquals(Optional.ofNullable(expected), EarlierFactor.of(types));
    }

    @ParameterizedTest(name = "{0} is logged as {1}")
    @CsvSource({"PASSKEY, passkey", "SECURITY_KEY, webauthn"})
    void theLoginEventDetail(LoginOutcome outcome, String detail) {
        assertEquals(detail, outcome.eventDetail());
    }
}

package io.github.grouptotp.it;

import java.time.Instant;
import java.util.HashSet;
import java.util.Set;

import org.keycloak.models.utils.Base32;
import org.keycloak.models.utils.HmacOTP;

/**
 * A phone's authenticator app for the demo realm's OTP policy (TOTP, HmacSHA1, 6 digits, 30 s), computing codes
 * with Keycloak's own HOTP implementation from the key the enrolment page shows.
 */
public final class AuthenticatorApp {

    private static final int PERIOD_SECONDS = 30;
    private static final int DIGITS = 6;

    private final byte[] secret;
    private final Set<String> used = new HashSet<>();
    private String lastCode;

    private AuthenticatorApp(byte[] secret) {
        this.secret = secret;
    }

    /** Adds an account from the key as shown on the enrolment page ("ABCD EFGH ..."). */
    public static AuthenticatorApp fromKey(String shownKey) {
        return new AuthenticatorApp(Base32.decode(shownKey.replace(" ", "")));
    }

    /** The app for a secret as Keycloak stores it (the OTP credential's secret data), e.g. one an admin imported. */
    public static AuthenticatorApp fromSecret(String storedSecret) {
        return new AuthenticatorApp(storedSecret.getBytes(java.nio.charset.StandardCharsets.UTF_8));
    }

    public String codeAt(long timeStep) {
        String counter = String.format("%016X", timeStep);
        return new HmacOTP(DIGITS, HmacOTP.HMAC_SHA1, 1).generateOTP(secret, counter, DIGITS, HmacOTP.HMAC_SHA1);
    }

    /**
     * A code the server accepts now and that this app has not handed out before: the current step's, else the
     * next step's (the realm's look-around window accepts one step either side), never an older one that could
     * fall out of the window before the server sees it.
     */
    public String freshCode() {
        return tryFreshCode().orElseThrow(() ->
                new IllegalStateException("Two codes were used in this 30-second step already; a test needs at most two"));
    }

    /** Like {@link #freshCode()}, or empty when this step's codes are used up (for load generators). */
    public synchronized java.util.Optional<String> tryFreshCode() {
        long now = currentStep();
        for (long step : new long[] {now, now + 1}) {
            String code = codeAt(step);
            if (used.add(code)) {
                lastCode = code;
                return java.util.Optional.of(code);
            }
        }
        return java.util.Optional.empty();
    }

    /** The code {@link #freshCode()} handed out last. */
    public String lastCode() {
        return lastCode;
    }

    /** A well-formed code that is wrong for every step the server could accept. */
    public String wrongCode() {
        long now = currentStep();
        Set<String> valid = new HashSet<>();
        for (long step = now - 2; step <= now + 2; step++) {
            valid.add(codeAt(step));
        }
        for (int candidate = 0; ; candidate++) {
            String code = String.format("%06d", candidate);
            if (!valid.contains(code)) {
                return code;
            }
        }
    }

    private static long currentStep() {
        return Instant.now().getEpochSecond() / PERIOD_SECONDS;
    }
}

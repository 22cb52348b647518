package io.github.grouptotp.keycloak;

import java.time.Instant;
import java.util.Arrays;
import java.util.EnumSet;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;

import org.keycloak.common.util.Time;
import org.keycloak.events.EventBuilder;
import org.keycloak.sessions.AuthenticationSessionModel;

import io.github.grouptotp.policy.GuessRules;
import io.github.grouptotp.policy.LoginOutcome;
import io.github.grouptotp.policy.SecondFactor;
import io.github.grouptotp.policy.SecretKind;

/**
 * What one login keeps between its requests (server-side, in the authentication session) and what it records on
 * the LOGIN event. The flow step, the reset action and the enrolment read and write the same notes here.
 */
public final class LoginRecord {

    /** LOGIN event detail carrying a {@link LoginOutcome}. */
    public static final String EVENT_DETAIL = "group_totp";
    /** LOGIN event detail with the grace deadline (ISO-8601 instant) when enrolment was skipped. */
    public static final String DEADLINE_EVENT_DETAIL = "group_totp_deadline";
    /** LOGIN event detail {@code checked}: the login after an admin's reset was let through with the one-time pass. */
    public static final String RESET_PASS_EVENT_DETAIL = "group_totp_reset_pass";
    /** LOGIN_ERROR error when the one-time pass of a reset has expired or was used. */
    public static final String RESET_PASS_EXPIRED_EVENT_ERROR = "group_totp_reset_pass_expired";
    /** LOGIN event detail naming the factor set up in this login ({@code otp}, {@code webauthn}, {@code passkey}). */
    public static final String FACTOR_EVENT_DETAIL = "group_totp_factor";
    /** LOGIN_ERROR error when a code is refused because the user is at the per-user limit on wrong codes. */
    public static final String THROTTLED_EVENT_ERROR = "group_totp_throttled";

    /** The page this login showed last: a POST is only accepted for the page it answers. */
    public enum Stage {
        /** The code of the user's authenticator. */
        CODE,
        /** A recovery code instead of the app's code. */
        RECOVERY,
        /** The grace page: set it up now, or log in without it for now. */
        GRACE,
        /** The QR code of a new authenticator. */
        ENROL,
        /** The new recovery codes, to be saved. */
        RECOVERY_CODES,
        /** A reset started by the user: the current code before anything is removed. */
        CURRENT_CODE,
        /** An admin's reset: the one-time pass from the help desk before a new authenticator is set up. */
        RESET_PASS,
        /** The user's security key or passkey, on Keycloak's WebAuthn page. */
        SECURITY_KEY,
        /** A reset started by the user: the current security key or passkey before anything is removed. */
        CURRENT_SECURITY_KEY,
        /** Which factor to set up, when the authenticator app is not one of the choices. */
        CHOOSE_FACTOR,
        /** Keycloak's registration page of a new security key or passkey. */
        REGISTER_KEY
    }

    private static final String STAGE_NOTE = "group-totp.stage";
    private static final String WRONG_CODES_NOTE = "group-totp.wrong-codes";
    private static final String PROOF_NOTE = "group-totp.proof";
    private static final String RESET_ID_NOTE = "group-totp.reset-id";
    private static final String OUTCOME_NOTE = "group-totp.outcome";
    private static final String DEADLINE_NOTE = "group-totp.deadline";
    private static final String MUST_SATISFY_NOTE = "group-totp.must-satisfy";

    private final AuthenticationSessionModel authSession;

    private LoginRecord(AuthenticationSessionModel authSession) {
        this.authSession = authSession;
    }

    public static LoginRecord of(AuthenticationSessionModel authSession) {
        return new LoginRecord(authSession);
    }

    /** Keycloak's clock, which honours the server's time offset like the rest of Keycloak. */
    public static Instant now() {
        return Instant.ofEpochMilli(Time.currentTimeMillis());
    }

    public Optional<Stage> stage() {
        String note = authSession.getAuthNote(STAGE_NOTE);
        return Arrays.stream(Stage.values()).filter(stage -> stage.name().equals(note)).findFirst();
    }

    public boolean isAt(Stage stage) {
        return stage().orElse(null) == stage;
    }

    public void stage(Stage stage) {
        authSession.setAuthNote(STAGE_NOTE, stage.name());
    }

    public void endStage() {
        authSession.removeAuthNote(STAGE_NOTE);
    }

    /**
     * For a required user: the factors of which the user must have one (the policy's decision at this login's start),
     * so that every page of the login offers and checks the same ones.
     */
    public void mustSatisfy(Set<SecondFactor> factors) {
        authSession.setAuthNote(MUST_SATISFY_NOTE, factors.stream().map(SecondFactor::configName).collect(Collectors.joining(",")));
    }

    /** What {@link #mustSatisfy(Set)} recorded; empty for a user the policy does not require, or outside the browser step. */
    public Set<SecondFactor> mustSatisfy() {
        String note = authSession.getAuthNote(MUST_SATISFY_NOTE);
        if (note == null || note.isBlank()) {
            return Set.of();
        }
        return Arrays.stream(note.split(",")).map(SecondFactor::ofConfigName).flatMap(Optional::stream)
                .collect(Collectors.toCollection(() -> EnumSet.noneOf(SecondFactor.class)));
    }

    /** Whether this login had so many wrong secrets that only a new login may try again ({@link GuessRules}). */
    public boolean spent() {
        return GuessRules.loginSpent(wrongCodes());
    }

    /** Counts one more wrong secret in this login; true when that spent it. */
    public boolean addWrongCode() {
        int wrong = wrongCodes() + 1;
        authSession.setAuthNote(WRONG_CODES_NOTE, String.valueOf(wrong));
        return GuessRules.loginSpent(wrong);
    }

    public int wrongCodes() {
        String count = authSession.getAuthNote(WRONG_CODES_NOTE);
        return count == null ? 0 : Integer.parseInt(count);
    }

    /**
     * This login gave a fresh proof of who is logging in, beyond the password: a code of the user's authenticator
     * app, an unused recovery code, or the one-time pass of an admin's reset. Only
     * {@link io.github.grouptotp.keycloak.guard.Attempts} records it, after the secret was checked; a remembered
     * browser never does.
     */
    public void proofGiven(SecretKind proof) {
        authSession.setAuthNote(PROOF_NOTE, proof.name());
    }

    /** This login goes on under an admin's reset ({@code PendingReset#id}): a newer reset voids it. */
    public void bindReset(String resetId) {
        authSession.setAuthNote(RESET_ID_NOTE, resetId);
    }

    /** The fresh proof this login gave, if any. */
    public Optional<SecretKind> proof() {
        String note = authSession.getAuthNote(PROOF_NOTE);
        return Arrays.stream(SecretKind.values()).filter(proof -> proof.name().equals(note)).findFirst();
    }

    /** The admin's reset this login goes on under, if any; a newer reset has another id. */
    public Optional<String> boundReset() {
        return Optional.ofNullable(authSession.getAuthNote(RESET_ID_NOTE));
    }

    /**
     * Puts how the user passed on the LOGIN event of this request, and keeps it for a login that finishes in a
     * later request (after other required actions), where {@link #applyOutcome} puts it on that request's event.
     */
    public void outcome(EventBuilder event, LoginOutcome outcome, Instant deadline) {
        LoginMetrics.passed(authSession.getRealm(), outcome);
        authSession.setAuthNote(OUTCOME_NOTE, outcome.eventDetail());
        if (deadline != null) {
            authSession.setAuthNote(DEADLINE_NOTE, deadline.toString());
        }
        applyOutcome(event);
    }

    public void applyOutcome(EventBuilder event) {
        String outcome = authSession.getAuthNote(OUTCOME_NOTE);
        if (outcome != null) {
            event.detail(EVENT_DETAIL, outcome);
        }
        String deadline = authSession.getAuthNote(DEADLINE_NOTE);
        if (deadline != null) {
            event.detail(DEADLINE_EVENT_DETAIL, deadline);
        }
        if (outcome != null && proof().orElse(null) == SecretKind.ONE_TIME_PASS) {
            event.detail(RESET_PASS_EVENT_DETAIL, "checked");
        }
    }
}

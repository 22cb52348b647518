package io.github.grouptotp.keycloak.enrolment;

import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;

import jakarta.ws.rs.core.Response;

import org.keycloak.cluster.ExecutionResult;
import org.keycloak.credential.CredentialModel;
import org.keycloak.models.UserModel;
import org.keycloak.models.cache.UserCache;
import org.keycloak.models.credential.OTPCredentialModel;
import org.keycloak.models.utils.FormMessage;
import org.keycloak.models.utils.HmacOTP;
import org.keycloak.sessions.AuthenticationSessionModel;

import io.github.grouptotp.keycloak.LoginRecord;
import io.github.grouptotp.keycloak.LoginRequest;
import io.github.grouptotp.keycloak.guard.UserLock;
import io.github.grouptotp.keycloak.pages.TotpPages;
import io.github.grouptotp.policy.LoginOutcome;

/**
 * Setting up an authenticator app in a login, for every route: the secret (kept server-side in the login, so a
 * client can never choose it), the QR page, and the confirmation with a code. An enrolment that replaces the user's
 * authenticators (after a recovery code, a user's own reset, an admin's reset) removes them only when the new one
 * is confirmed, in the same transaction: a page left unconfirmed leaves the old ones as they were.
 *
 * <p>The confirmation never adds a second authenticator behind anyone's back: if the user's authenticators changed
 * since the page was shown (another window, or another login that was faster), it answers
 * {@link Outcome#ALREADY_ENROLLED} and the caller asks for a code of what the user has now.
 */
public final class TotpEnrolment {

    /** The secret being enrolled. Server-side only; dies with the login. */
    static final String SECRET_NOTE = "group-totp.enrol-secret";
    /** Why this login sets up an authenticator, as recorded on its LOGIN event. */
    static final String REASON_NOTE = "group-totp.enrol-reason";
    /** The user's authenticators when the secret was shown: the ones the new one replaces. */
    static final String REPLACES_NOTE = "group-totp.enrol-replaces";
    /** How long a confirmation may hold the per-user lock; far above the time it takes. */
    private static final int LOCK_SECONDS = 30;

    public enum Outcome {
        MISSING_OR_MALFORMED, INVALID, VALID,
        /** The user's authenticators changed since this page was shown. */
        ALREADY_ENROLLED,
        /** Another window of the user is storing an authenticator at this moment. */
        BUSY,
        /** What allowed this enrolment is gone (a newer reset replaced the one this login passed). */
        VOID
    }

    /**
     * @param credentialId the new authenticator, when {@link Outcome#VALID}
     * @param problem      the field message for a typed code that cannot be one
     */
    public record Confirmation(Outcome outcome, String credentialId, FormMessage problem) {

        static Confirmation of(Outcome outcome) {
            return new Confirmation(outcome, null, null);
        }
    }

    /** What a confirmation also checks and does in its transaction, with the user read afresh (an admin's reset). */
    public interface Completion {

        Completion NONE = new Completion() {
        };

        /** Whether this login may still finish its enrolment. */
        default boolean stillValid(UserModel user) {
            return true;
        }

        /** Called with the new authenticator stored, in the same transaction. */
        default void complete(UserModel user) {
        }
    }

    private TotpEnrolment() {
    }

    /**
     * Shows the QR page of a new authenticator. The secret is made on first use and kept across reloads, so a user
     * who scanned it and reloads can still confirm; so is what it replaces: the user's authenticators at that moment.
     * The caller decides that the login may replace them ({@code steps.FactorChanges}).
     *
     * @param reason {@link LoginOutcome#ENROLLED}, {@link LoginOutcome#RESET} or {@link LoginOutcome#RECOVERY_CODE}
     */
    public static Response begin(LoginRequest request, LoginOutcome reason, FormMessage message) {
        AuthenticationSessionModel authSession = request.authSession();
        if (authSession.getAuthNote(SECRET_NOTE) == null) {
            authSession.setAuthNote(SECRET_NOTE, HmacOTP.generateSecret(20));
            authSession.setAuthNote(REPLACES_NOTE, String.join(",", TotpCredentials.otpCredentialIds(request.user())));
        }
        authSession.setAuthNote(REASON_NOTE, reason.name());
        request.record().stage(LoginRecord.Stage.ENROL);
        return page(request, message);
    }

    public static Response page(LoginRequest request, FormMessage message) {
        LoginOutcome reason = reason(request);
        var form = request.form();
        if (message == null && reason == LoginOutcome.RESET) {
            form.setInfo(TotpPages.MSG_RESET_INTRO);
        } else if (message == null && reason == LoginOutcome.RECOVERY_CODE) {
            form.setInfo(TotpPages.MSG_RECOVERY_USED_INTRO);
        }
        if (reason == LoginOutcome.ENROLLED) {
            // A first enrolment may choose a security key or passkey instead; a reset or a recovery code sets up an app.
            form.setAttribute("groupTotpChoices", EnrolmentChoices.names(request));
        }
        return TotpPages.enrol(form, request.session(), request.realm(), request.user(), request.requestUri(),
                request.authSession().getAuthNote(SECRET_NOTE), message);
    }

    /** Why this login enrols; {@link LoginOutcome#ENROLLED} unless a reset or a recovery code started it. */
    public static LoginOutcome reason(LoginRequest request) {
        String note = request.authSession().getAuthNote(REASON_NOTE);
        return note == null ? LoginOutcome.ENROLLED : LoginOutcome.valueOf(note);
    }

    /** Whether this login has an enrolment in progress (a secret was shown). */
    public static boolean inProgress(LoginRequest request) {
        return request.authSession().getAuthNote(SECRET_NOTE) != null;
    }

    /**
     * Checks the posted code against this login's secret and, if it is right and the user's authenticators are still
     * the ones this page replaces, stores the new one and removes those, with their events. Two windows (or a double
     * click, or two logins) may confirm at the same moment, on one node or two: a cluster-wide lock per user
     * serialises them, and everything is committed in its own transaction, reading the user afresh, before the lock
     * is released. A wrong code here guesses nothing (only the user saw the secret): it counts against no limit.
     */
    public static Confirmation confirm(LoginRequest request, Completion completion) {
        TotpCredentials.TypedCode typed = TotpCredentials.typedForEnrolment(request.realm(), request.formValue(TotpPages.FIELD_OTP));
        if (!typed.wellFormed()) {
            return new Confirmation(Outcome.MISSING_OR_MALFORMED, null, typed.problem());
        }
        String secret = request.authSession().getAuthNote(SECRET_NOTE);
        Set<String> replaces = replaces(request);
        ExecutionResult<Stored> result = UserLock.run(request.session(), request.realm(), request.user(), "enrol", LOCK_SECONDS,
                (txSession, txRealm, txUser) -> {
                    Set<String> now = TotpCredentials.otpCredentialIds(txUser);
                    if (!now.isEmpty() && !now.equals(replaces)) {
                        return new Stored(Outcome.ALREADY_ENROLLED, null, List.of());
                    }
                    if (!now.equals(replaces) || !completion.stillValid(txUser)) {
                        // The authenticators this page was to replace were taken away meanwhile, or a newer reset.
                        return new Stored(Outcome.VOID, null, List.of());
                    }
                    List<CredentialModel> old = txUser.credentialManager().getStoredCredentialsByTypeStream(OTPCredentialModel.TYPE).toList();
                    Optional<String> created = TotpCredentials.replace(txSession, txRealm, txUser, secret, typed.code(), old);
                    if (created.isEmpty()) {
                        return new Stored(Outcome.INVALID, null, List.of());
                    }
                    SecondFactors.noteIfMissing(txUser);
                    completion.complete(txUser);
                    return new Stored(Outcome.VALID, created.get(), old);
                });
        if (!result.isExecuted()) {
            return Confirmation.of(Outcome.BUSY);
        }
        Stored stored = result.getResult();
        if (stored.outcome() == Outcome.VALID) {
            UserCache cache = request.session().getProvider(UserCache.class);
            if (cache != null) {
                // Committed in its own transaction: the rest of this request (the remembered-browser cookie, the recovery
                // codes) must read the user afresh, or it sees the user as before, without the new authenticator.
                cache.evict(request.realm(), request.user());
            }
            TotpCredentials.recordEnrolment(request.event(), request.user(), stored.credentialId());
            stored.removed().forEach(c -> TotpCredentials.removed(request.event(), request.user(), c));
        }
        if (stored.outcome() == Outcome.VALID || stored.outcome() == Outcome.ALREADY_ENROLLED) {
            request.authSession().removeAuthNote(SECRET_NOTE);
        }
        return new Confirmation(stored.outcome(), stored.credentialId(), null);
    }

    private record Stored(Outcome outcome, String credentialId, List<CredentialModel> removed) {
    }

    private static Set<String> replaces(LoginRequest request) {
        String note = request.authSession().getAuthNote(REPLACES_NOTE);
        return note == null || note.isEmpty() ? Set.of() : Arrays.stream(note.split(",")).collect(Collectors.toSet());
    }

    /** Forgets this login's enrolment; the LOGIN outcome is recorded by the caller. */
    public static void end(LoginRequest request) {
        AuthenticationSessionModel authSession = request.authSession();
        authSession.removeAuthNote(SECRET_NOTE);
        authSession.removeAuthNote(REASON_NOTE);
        authSession.removeAuthNote(REPLACES_NOTE);
        authSession.removeAuthNote(RecoveryCodes.NEW_CODES_NOTE);
        request.record().endStage();
    }
}

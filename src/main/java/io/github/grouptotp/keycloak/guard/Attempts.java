package io.github.grouptotp.keycloak.guard;

import java.time.Instant;
import java.util.Optional;

import org.keycloak.authentication.authenticators.util.AuthenticatorUtils;
import org.keycloak.events.Errors;
import org.keycloak.models.KeycloakSession;
import org.keycloak.models.RealmModel;
import org.keycloak.models.UserModel;
import org.keycloak.services.managers.BruteForceProtector;

import io.github.grouptotp.keycloak.KeycloakApi;
import io.github.grouptotp.keycloak.LoginRecord;
import io.github.grouptotp.keycloak.LoginRequest;
import io.github.grouptotp.policy.GuessRules;
import io.github.grouptotp.policy.SecretKind;

/**
 * The one guard of every typed secret (an app code, a recovery code, a reset's one-time pass) on every route (the
 * browser step, the reset action, the account-change check, the direct grant): the per-login cap, Keycloak's
 * brute-force lock, a slot of the per-user limit ({@link CodeThrottle}), the check itself, and on a wrong one the
 * per-login count, Keycloak's brute-force protector (the secret's category, where the realm has it on) and a
 * {@code LOGIN_ERROR} event with the reason in detail {@value #REFUSED_DETAIL}. A right one is recorded as this
 * login's proof ({@link LoginRecord#proofGiven}).
 *
 * <p>Callers map the result onto their page or answer and must not tell Keycloak's brute-force protector again
 * (in a flow: {@code forceChallenge}, never {@code failureChallenge}).
 */
public final class Attempts {

    /** LOGIN_ERROR detail saying why a secret was refused: {@code wrong}, {@code throttled}, {@code locked}. */
    public static final String REFUSED_DETAIL = "group_totp_refused";

    /** What the check of the secret itself found. */
    public enum Check {
        RIGHT, WRONG,
        /** Not checked after all (another request holds the lock it needs): no guess to count. */
        NOT_CHECKED
    }

    /** The check of a secret, or why it did not happen. */
    public enum Outcome {
        VALID, WRONG,
        /** This login is spent ({@link GuessRules#MAX_WRONG_PER_LOGIN} wrong secrets); also after the wrong one that spent it. */
        LOGIN_SPENT,
        LOCKED_TEMPORARILY, LOCKED_PERMANENTLY,
        /** The per-user limit: {@link Result#until} says when secrets are checked again. */
        THROTTLED,
        BUSY
    }

    public record Result(Outcome outcome, Instant until) {

        static Result of(Outcome outcome) {
            return new Result(outcome, null);
        }

        public boolean valid() {
            return outcome == Outcome.VALID;
        }
    }

    /** The secret's own check, run only when every rule lets it. */
    @FunctionalInterface
    public interface Secret {
        Check check();
    }

    private Attempts() {
    }

    /** Checks one secret under every rule. */
    public static Result check(LoginRequest request, SecretKind kind, Secret secret) {
        KeycloakSession session = request.session();
        RealmModel realm = request.realm();
        UserModel user = request.user();
        LoginRecord record = request.record();
        BruteForceProtector protector = session.getProvider(BruteForceProtector.class);
        String lockError = AuthenticatorUtils.getDisabledByBruteForceEventError(protector, session, realm, user);
        Optional<GuessRules.Refusal> refusal = GuessRules.beforeCheck(record.wrongCodes(), lockError != null);
        if (refusal.isPresent()) {
            if (refusal.get() == GuessRules.Refusal.LOGIN_SPENT) {
                return Result.of(Outcome.LOGIN_SPENT);
            }
            request.loginErrorEvent().detail(REFUSED_DETAIL, "locked").error(lockError);
            return Result.of(Errors.USER_TEMPORARILY_DISABLED.equals(lockError) ? Outcome.LOCKED_TEMPORARILY : Outcome.LOCKED_PERMANENTLY);
        }
        Instant now = LoginRecord.now();
        CodeThrottle.Attempt slot = CodeThrottle.begin(session, realm, user, now);
        if (slot instanceof CodeThrottle.Refused refused) {
            request.loginErrorEvent().detail(REFUSED_DETAIL, "throttled").error(LoginRecord.THROTTLED_EVENT_ERROR);
            return new Result(Outcome.THROTTLED, refused.until());
        }
        CodeThrottle.Allowed allowed = (CodeThrottle.Allowed) slot;
        Check check = secret.check();
        if (check != Check.WRONG) {
            allowed.succeeded(); // a right secret, or none checked, does not count against the limit
            if (check == Check.NOT_CHECKED) {
                return Result.of(Outcome.BUSY);
            }
            record.proofGiven(kind);
            return Result.of(Outcome.VALID);
        }
        boolean spent = record.addWrongCode();
        if (realm.isBruteForceProtected()) {
            KeycloakApi.failedLogin(protector, realm, user, request.connection(), request.uriInfo(), kind.bruteForceCategory());
        }
        request.loginErrorEvent().detail(REFUSED_DETAIL, "wrong").error(Errors.INVALID_USER_CREDENTIALS);
        return Result.of(spent ? Outcome.LOGIN_SPENT : Outcome.WRONG);
    }
}

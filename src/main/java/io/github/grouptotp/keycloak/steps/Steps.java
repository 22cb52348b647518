package io.github.grouptotp.keycloak.steps;

import java.util.Optional;
import java.util.Set;

import org.jboss.logging.Logger;

import io.github.grouptotp.keycloak.KeycloakApi;
import io.github.grouptotp.keycloak.LoginRecord;
import io.github.grouptotp.keycloak.LoginRequest;
import io.github.grouptotp.keycloak.enrolment.EnrolmentChoices;
import io.github.grouptotp.keycloak.enrolment.RecoveryCodes;
import io.github.grouptotp.keycloak.enrolment.SecondFactors;
import io.github.grouptotp.keycloak.enrolment.TotpEnrolment;
import io.github.grouptotp.keycloak.pages.TotpPages;
import io.github.grouptotp.keycloak.reset.PendingReset;
import io.github.grouptotp.policy.EarlierFactor;
import io.github.grouptotp.policy.LoginOutcome;
import io.github.grouptotp.policy.PolicyDecision;
import io.github.grouptotp.policy.SecondFactor;
import io.github.grouptotp.policy.TotpMode;

/**
 * The step engine: one set of pages for every route. Each route's adapter starts it at its entry (the browser step,
 * the reset action, the account-change check) and hands it every answer; a POST is only accepted for the page this
 * login showed last ({@link LoginRecord#stage()}).
 */
public final class Steps {

    private static final Logger LOG = Logger.getLogger(Steps.class);

    private Steps() {
    }

    /**
     * The browser step: an admin's reset first, then a factor lost without proof (the help desk), then a passkey or
     * security key Keycloak already checked in this login, then what the policy decided for the user's groups.
     */
    public static StepResult login(LoginRequest request, PolicyDecision decision) {
        if (request.record().spent()) {
            return new StepResult.Show(ErrorPages.tooManyWrong(request));
        }
        // Every page of this login offers and checks the factors this decision named (none: not required).
        request.record().mustSatisfy(decision.mode() == TotpMode.REQUIRED ? decision.satisfying() : Set.of());
        Optional<PendingReset> reset = PendingReset.of(request.user(), LoginRecord.now());
        if (reset.isPresent()) {
            return ResetPassPage.start(request, reset.get());
        }
        if (SecondFactors.lost(request.user())) {
            // Before a passkey: whoever removed the app without proof may have registered one since.
            return new StepResult.Show(ErrorPages.factorLost(request));
        }
        Optional<LoginOutcome> earlierFactor = EarlierFactor.of(KeycloakApi.credentialTypesUsed(request.authSession(), request.realm()));
        if (earlierFactor.isPresent()) {
            // Keycloak's WebAuthn step recorded the credential type itself; nothing is asked or remembered here.
            LOG.debugf("user %s: %s already used in this login", request.user().getId(), earlierFactor.get());
            return ended(request, StepResult.Done.without(earlierFactor.get()));
        }
        return ended(request, PolicyPages.start(request, decision));
    }

    /** The reset action: an admin's reset as at the step; a reset the user started asks the current code first. */
    public static StepResult reset(LoginRequest request) {
        if (request.record().spent()) {
            return new StepResult.Show(ErrorPages.tooManyWrong(request));
        }
        Optional<PendingReset> reset = PendingReset.of(request.user(), LoginRecord.now());
        if (reset.isPresent()) {
            return ResetPassPage.start(request, reset.get());
        }
        if (SecondFactors.has(request.user()) && request.record().proof().isEmpty()) {
            return ProofPages.beforeReset(request);
        }
        return EnrolPage.begin(request, LoginOutcome.RESET, null);
    }

    /**
     * Before an account change in a login that gave no fresh proof (its SSO session may rest on a remembered browser):
     * the code page, or done if the login gave a proof meanwhile.
     */
    public static StepResult confirmIdentity(LoginRequest request, String why) {
        if (request.record().spent()) {
            return new StepResult.Show(ErrorPages.tooManyWrong(request));
        }
        if (request.record().proof().isPresent()) {
            return new StepResult.Done(null, null, null);
        }
        if (SecondFactors.lost(request.user())) {
            // Whoever removed the factor without proof must not set up another one now.
            return new StepResult.Show(ErrorPages.factorLost(request));
        }
        return ProofPages.login(request, null, why);
    }

    /** The answer to the page this login showed. */
    public static StepResult answer(LoginRequest request) {
        LoginRecord record = request.record();
        if (record.spent()) {
            // This login is spent, whatever realm brute-force detection says: only a new login may try again.
            return new StepResult.Show(ErrorPages.tooManyWrong(request));
        }
        LoginRecord.Stage stage = record.stage().orElse(null);
        if (stage == null) {
            LOG.debugf("user %s: form posted without a page shown by this step", request.user().getId());
            return new StepResult.Show(ErrorPages.sessionExpired(request));
        }
        // Between the code page and the recovery page the user may go back and forth.
        if (stage == LoginRecord.Stage.CODE && request.formHas(TotpPages.FIELD_USE_RECOVERY) && RecoveryCodes.usable(request)) {
            return RecoveryCodePage.show(request, null);
        }
        if (stage == LoginRecord.Stage.RECOVERY && request.formHas(TotpPages.FIELD_USE_CODE)) {
            return CodePage.show(request, null);
        }
        // On the grace, QR and choice pages the user may pick the factor to set up.
        if (stage == LoginRecord.Stage.GRACE || stage == LoginRecord.Stage.ENROL || stage == LoginRecord.Stage.CHOOSE_FACTOR) {
            Optional<StepResult> picked = ChoosePage.picked(request, stage);
            if (picked.isPresent()) {
                return picked.get();
            }
        }
        // On the code page the user may pick a security key or passkey instead.
        if (stage == LoginRecord.Stage.CODE || stage == LoginRecord.Stage.CURRENT_CODE) {
            Optional<StepResult> picked = ProofPages.picked(request, stage == LoginRecord.Stage.CURRENT_CODE);
            if (picked.isPresent()) {
                return picked.get();
            }
        }
        return ended(request, switch (stage) {
            case CODE -> CodePage.answer(request);
            case RECOVERY -> RecoveryCodePage.answer(request);
            case GRACE -> GracePage.answer(request);
            case ENROL -> EnrolPage.answer(request);
            case RECOVERY_CODES -> RecoveryCodesPage.answer(request);
            case CURRENT_CODE -> CurrentCodePage.answer(request);
            case RESET_PASS -> ResetPassPage.answer(request);
            case SECURITY_KEY -> SecurityKeyPage.answer(request, false);
            case CURRENT_SECURITY_KEY -> SecurityKeyPage.answer(request, true);
            case CHOOSE_FACTOR -> ChoosePage.answer(request);
            case REGISTER_KEY -> KeyRegistrationPage.answer(request);
        });
    }

    /**
     * When the step is done, nothing of this login's pages is kept; the adapter records the outcome. A required user
     * who proved a factor that does not meet the policy (an app, for a phishing-resistant group) goes on to the grace
     * page or the set-up of one that does.
     */
    private static StepResult ended(LoginRequest request, StepResult result) {
        Set<SecondFactor> wanted = request.record().mustSatisfy();
        if (result instanceof StepResult.Done done && !wanted.isEmpty()
                && proved(done.outcome()).filter(factor -> !wanted.contains(factor)).isPresent()) {
            // A factor that does not meet the policy is no way in: the one that does, or the set-up of one.
            LOG.debugf("user %s: %s does not meet the policy", request.user().getId(), done.outcome());
            return EnrolmentChoices.met(request) ? ProofPages.login(request, null, null) : PolicyPages.enrolment(request);
        }
        if (result instanceof StepResult.Done) {
            TotpEnrolment.end(request);
        }
        return result;
    }

    /**
     * The factor a login proved, for the outcomes that prove one; a remembered browser stands only for a factor that
     * meets the policy ({@link PolicyPages}), so it is not checked again here.
     */
    private static Optional<SecondFactor> proved(LoginOutcome outcome) {
        if (outcome == null) {
            return Optional.empty();
        }
        return Optional.ofNullable(switch (outcome) {
            case VERIFIED -> SecondFactor.OTP;
            case SECURITY_KEY -> SecondFactor.WEBAUTHN;
            case PASSKEY -> SecondFactor.PASSKEY;
            default -> null;
        });
    }
}

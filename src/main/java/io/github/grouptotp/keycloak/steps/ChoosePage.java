package io.github.grouptotp.keycloak.steps;

import java.util.List;
import java.util.Optional;

import org.keycloak.models.utils.FormMessage;

import io.github.grouptotp.keycloak.LoginRecord;
import io.github.grouptotp.keycloak.LoginRequest;
import io.github.grouptotp.keycloak.enrolment.EnrolmentChoices;
import io.github.grouptotp.keycloak.enrolment.TotpEnrolment;
import io.github.grouptotp.keycloak.pages.TotpPages;
import io.github.grouptotp.policy.LoginOutcome;
import io.github.grouptotp.policy.SecondFactor;

/**
 * Where a first enrolment starts, and the {@value TotpPages#FIELD_FACTOR} buttons that pick a factor on the grace,
 * QR and choice pages: the app's QR page where the app is a choice (today's page, its buttons kept), else
 * Keycloak's registration of the one choice, else a page to choose ({@link LoginRecord.Stage#CHOOSE_FACTOR}).
 */
final class ChoosePage {

    private ChoosePage() {
    }

    /** The enrolment of a user who must set up a factor. */
    static StepResult start(LoginRequest request, FormMessage message) {
        List<SecondFactor> choices = EnrolmentChoices.of(request);
        if (choices.contains(SecondFactor.OTP)) {
            return EnrolPage.begin(request, LoginOutcome.ENROLLED, message);
        }
        if (choices.size() == 1) {
            return KeyRegistrationPage.show(request, choices.get(0), message);
        }
        request.record().stage(LoginRecord.Stage.CHOOSE_FACTOR);
        return new StepResult.Show(TotpPages.choose(request.form(), EnrolmentChoices.names(request), message));
    }

    /**
     * The factor a {@value TotpPages#FIELD_FACTOR} button picked, if it is one of the user's choices. Not on the QR page
     * of an admin's reset or a recovery code: those set up a new app, which completes them (no button is offered).
     */
    static Optional<StepResult> picked(LoginRequest request, LoginRecord.Stage stage) {
        if (stage == LoginRecord.Stage.ENROL && TotpEnrolment.reason(request) != LoginOutcome.ENROLLED) {
            return Optional.empty();
        }
        Optional<SecondFactor> factor = Optional.ofNullable(request.formValue(TotpPages.FIELD_FACTOR))
                .flatMap(SecondFactor::ofConfigName).filter(EnrolmentChoices.of(request)::contains);
        if (factor.isEmpty()) {
            return Optional.empty();
        }
        if (factor.get() != SecondFactor.OTP) {
            return Optional.of(KeyRegistrationPage.show(request, factor.get(), null));
        }
        // The app: the QR page (already shown on the QR page itself).
        return stage == LoginRecord.Stage.ENROL ? Optional.empty() : Optional.of(EnrolPage.begin(request, LoginOutcome.ENROLLED, null));
    }

    /** The choice page posted without a choice it offers: shown again. */
    static StepResult answer(LoginRequest request) {
        return start(request, null);
    }
}

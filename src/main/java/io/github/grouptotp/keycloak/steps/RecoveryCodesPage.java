package io.github.grouptotp.keycloak.steps;

import java.util.Optional;

import org.jboss.logging.Logger;
import org.keycloak.models.utils.FormMessage;

import io.github.grouptotp.keycloak.LoginRecord;
import io.github.grouptotp.keycloak.LoginRequest;
import io.github.grouptotp.keycloak.enrolment.RecoveryCodes;
import io.github.grouptotp.keycloak.enrolment.TotpEnrolment;
import io.github.grouptotp.keycloak.guard.LogOnce;
import io.github.grouptotp.keycloak.pages.TotpPages;

/** The new recovery codes after an enrolment ({@link LoginRecord.Stage#RECOVERY_CODES}), stored once the user saved them. */
final class RecoveryCodesPage {

    private static final Logger LOG = Logger.getLogger(RecoveryCodesPage.class);

    private RecoveryCodesPage() {
    }

    /** The page of new codes, if the step's {@code recoveryCodes} is on and this Keycloak can store them. */
    static Optional<StepResult> offer(LoginRequest request) {
        if (request.config().recoveryCodes() && RecoveryCodes.available()) {
            return Optional.of(new StepResult.Show(RecoveryCodes.offerNew(request)));
        }
        if (request.config().recoveryCodes() && LogOnce.due(request.session(), "recovery-codes-feature::" + request.realm().getId())) {
            LOG.warnf("Realm '%s': the Group TOTP policy step has recovery codes on, but this Keycloak's recovery-codes "
                    + "feature is disabled (a preview feature before Keycloak 26.3: start Keycloak with "
                    + "--features=recovery-codes); no recovery codes were shown", request.realm().getName());
        }
        return Optional.empty();
    }

    static StepResult answer(LoginRequest request) {
        if (RecoveryCodes.saveConfirmed(request)) {
            return StepResult.Done.with(TotpEnrolment.reason(request));
        }
        return new StepResult.Show(RecoveryCodes.page(request, new FormMessage(TotpPages.FIELD_CODES_SAVED, TotpPages.MSG_CODES_NOT_SAVED)));
    }
}

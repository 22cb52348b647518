package io.github.grouptotp.policy;

import java.util.List;

/**
 * The policy's verdict for one user.
 *
 * @param mode          how strictly the user is treated
 * @param unknownGroups configured group paths that did not resolve to a group, in configuration order;
 *                      the caller logs them because they usually mean a group was renamed or deleted
 */
public record PolicyDecision(TotpMode mode, List<String> unknownGroups) {

    public PolicyDecision {
        unknownGroups = List.copyOf(unknownGroups);
    }

    /** Enrolled users are always asked for their code; only required users are made to enrol. */
    public LoginStep nextStep(boolean enrolled) {
        if (enrolled) {
            return LoginStep.ASK_CODE;
        }
        return mode == TotpMode.REQUIRED ? LoginStep.ENROL : LoginStep.PASS;
    }

    /** The outcome recorded when {@link #nextStep} is {@link LoginStep#PASS}. */
    public LoginOutcome passOutcome() {
        return mode == TotpMode.EXEMPT ? LoginOutcome.NOT_REQUIRED : LoginOutcome.OPTIONAL;
    }
}

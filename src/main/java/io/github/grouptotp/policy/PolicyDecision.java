package io.github.grouptotp.policy;

import java.util.Collection;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;

/**
 * The policy's verdict for one user.
 *
 * @param mode          how strictly the user is treated
 * @param unknownGroups configured group paths that did not resolve to a group, in configuration order;
 *                      the caller logs them because they usually mean a group was renamed or deleted
 * @param satisfying    the second factors that meet the policy for this user: the accepted ones, and of those only a
 *                      security key or passkey for a member of a phishing-resistant group
 */
public record PolicyDecision(TotpMode mode, List<String> unknownGroups, Set<SecondFactor> satisfying) {

    public PolicyDecision {
        unknownGroups = List.copyOf(unknownGroups);
        satisfying = satisfying.isEmpty() ? Set.of() : Set.copyOf(EnumSet.copyOf(satisfying));
    }

    /** A verdict under which every factor meets the policy (no phishing-resistant group, all factors accepted). */
    public PolicyDecision(TotpMode mode, List<String> unknownGroups) {
        this(mode, unknownGroups, EnumSet.allOf(SecondFactor.class));
    }

    /**
     * Users with a second factor are always asked for it, even one that does not meet the policy (asking never makes
     * a login weaker); only required users without one are made to set one up.
     */
    public LoginStep nextStep(boolean holdsFactor) {
        if (holdsFactor) {
            return LoginStep.ASK_CODE;
        }
        return mode == TotpMode.REQUIRED ? LoginStep.ENROL : LoginStep.PASS;
    }

    /** Whether the user's factors meet the policy: one of them is a {@link #satisfying} one. */
    public boolean satisfiedBy(Collection<SecondFactor> held) {
        return SecondFactor.meets(held, satisfying);
    }

    /** A required user whose factors do not meet the policy (an app, for a phishing-resistant group) must add one that does. */
    public boolean mustAddFactor(Collection<SecondFactor> held) {
        return mode == TotpMode.REQUIRED && !held.isEmpty() && !satisfiedBy(held);
    }

    /** Whether only a security key or a passkey meets the policy for this user. */
    public boolean phishingResistant() {
        return satisfying.stream().allMatch(SecondFactor::phishingResistant);
    }

    /** The outcome recorded when {@link #nextStep} is {@link LoginStep#PASS}. */
    public LoginOutcome passOutcome() {
        return mode == TotpMode.EXEMPT ? LoginOutcome.NOT_REQUIRED : LoginOutcome.OPTIONAL;
    }
}

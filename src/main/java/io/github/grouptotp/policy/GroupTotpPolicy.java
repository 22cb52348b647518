package io.github.grouptotp.policy;

import java.util.ArrayList;
import java.util.List;

/**
 * Decides from group membership how strictly a user must use a second factor, and which factors meet the policy.
 *
 * <p>Rules, strictest first: a member of an exempt group is {@link TotpMode#EXEMPT} (exemption lifts
 * "required", nothing else); a member of a required or a phishing-resistant group is {@link TotpMode#REQUIRED};
 * everyone else is {@link TotpMode#OPTIONAL}. A required or phishing-resistant group that does not resolve fails
 * closed: the user is treated as its member unless a resolvable optional or exempt group claims them, because an
 * admin who renamed {@code /staff} must not silently switch off 2FA for all staff. The factors that meet the policy
 * are the accepted ones ({@link GroupTotpConfig#acceptedFactors}); for a member of a phishing-resistant group only
 * a security key or a passkey, whatever is accepted.
 */
public final class GroupTotpPolicy {

    private final GroupTotpConfig config;

    public GroupTotpPolicy(GroupTotpConfig config) {
        this.config = config;
    }

    public PolicyDecision decide(GroupMembershipLookup lookup) {
        List<String> unknownGroups = new ArrayList<>();
        boolean exempt = anyMember(config.exemptGroups(), lookup, unknownGroups);
        boolean required = anyMember(config.requiredGroups(), lookup, unknownGroups);
        boolean optional = anyMember(config.optionalGroups(), lookup, unknownGroups);
        boolean phishingResistant = anyMember(config.phishingResistantGroups(), lookup, unknownGroups);
        boolean requiredGroupUnknown = config.requiredGroups().stream().anyMatch(unknownGroups::contains);
        boolean phishingResistantGroupUnknown = config.phishingResistantGroups().stream().anyMatch(unknownGroups::contains);
        boolean claimed = optional || exempt;
        phishingResistant |= phishingResistantGroupUnknown && !claimed;

        TotpMode mode;
        if (exempt) {
            mode = TotpMode.EXEMPT;
        } else if (required || phishingResistant || (requiredGroupUnknown && !optional)) {
            mode = TotpMode.REQUIRED;
        } else {
            mode = TotpMode.OPTIONAL;
        }
        return new PolicyDecision(mode, unknownGroups, config.satisfying(phishingResistant));
    }

    /** Looks up every group (no short-circuit) so that each unknown group is reported. */
    private static boolean anyMember(List<String> groups, GroupMembershipLookup lookup, List<String> unknownGroups) {
        boolean member = false;
        for (String group : groups) {
            Membership membership = lookup.membership(group);
            if (membership == Membership.MEMBER) {
                member = true;
            } else if (membership == Membership.UNKNOWN_GROUP && !unknownGroups.contains(group)) {
                unknownGroups.add(group);
            }
        }
        return member;
    }
}

package io.github.grouptotp.policy;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.MethodSource;

class GroupTotpPolicyTest {

    private static final GroupTotpConfig CONFIG = GroupTotpConfig.from(Map.of(
            GroupTotpConfig.REQUIRED_GROUPS, "/staff",
            GroupTotpConfig.OPTIONAL_GROUPS, "/extranet",
            GroupTotpConfig.EXEMPT_GROUPS, "/no-smartphone"));

    /** A user who is a member of exactly the given groups, in a realm where every configured group exists. */
    private static GroupMembershipLookup memberOf(String... groups) {
        Set<String> member = Set.of(groups);
        return path -> member.contains(path) ? Membership.MEMBER : Membership.NOT_MEMBER;
    }

    static Stream<Arguments> membershipToMode() {
        return Stream.of(
                Arguments.of(new String[] {"/staff"}, TotpMode.REQUIRED),
                Arguments.of(new String[] {"/extranet"}, TotpMode.OPTIONAL),
                Arguments.of(new String[] {"/no-smartphone"}, TotpMode.EXEMPT),
                Arguments.of(new String[] {}, TotpMode.OPTIONAL),
                Arguments.of(new String[] {"/staff", "/extranet"}, TotpMode.REQUIRED),
                Arguments.of(new String[] {"/staff", "/no-smartphone"}, TotpMode.EXEMPT),
                Arguments.of(new String[] {"/extranet", "/no-smartphone"}, TotpMode.EXEMPT),
                Arguments.of(new String[] {"/staff", "/extranet", "/no-smartphone"}, TotpMode.EXEMPT));
    }

    @ParameterizedTest(name = "member of {0} -> {1}")
    @MethodSource("membershipToMode")
    void strictestModeWinsAndExemptionLiftsRequired(String[] groups, TotpMode expected) {
        PolicyDecision decision = new GroupTotpPolicy(CONFIG).decide(memberOf(groups));

        assertEquals(expected, decision.mode(), Arrays.toString(groups));
        assertEquals(List.of(), decision.unknownGroups());
    }

    @ParameterizedTest(name = "{0}, enrolled={1} -> {2}")
    @CsvSource({
            "REQUIRED, true,  ASK_CODE",
            "REQUIRED, false, ENROL",
            "OPTIONAL, true,  ASK_CODE",
            "OPTIONAL, false, PASS",
            "EXEMPT,   true,  ASK_CODE",
            "EXEMPT,   false, PASS"})
    void enrolledUsersAreAlwaysAskedAndOnlyRequiredUsersEnrol(TotpMode mode, boolean enrolled, LoginStep expected) {
        assertEquals(expected, new PolicyDecision(mode, List.of()).nextStep(enrolled));
    }

    @ParameterizedTest(name = "{0} -> {1}")
    @CsvSource({"OPTIONAL, optional", "EXEMPT, not_required"})
    void passOutcomeNamesWhyNoCodeWasAsked(TotpMode mode, String eventDetail) {
        assertEquals(eventDetail, new PolicyDecision(mode, List.of()).passOutcome().eventDetail());
    }

    static Stream<Arguments> missingRequiredGroup() {
        return Stream.of(
                // Fail closed: nobody outside a resolvable optional or exempt group escapes the policy.
                Arguments.of(new String[] {}, TotpMode.REQUIRED),
                Arguments.of(new String[] {"/extranet"}, TotpMode.OPTIONAL),
                Arguments.of(new String[] {"/no-smartphone"}, TotpMode.EXEMPT),
                Arguments.of(new String[] {"/other"}, TotpMode.REQUIRED));
    }

    @ParameterizedTest(name = "required group missing, member of {0} -> {1}")
    @MethodSource("missingRequiredGroup")
    void missingRequiredGroupFailsClosed(String[] groups, TotpMode expected) {
        Set<String> member = Set.of(groups);
        GroupMembershipLookup lookup = path -> {
            if (path.equals("/staff")) {
                return Membership.UNKNOWN_GROUP;
            }
            return member.contains(path) ? Membership.MEMBER : Membership.NOT_MEMBER;
        };

        PolicyDecision decision = new GroupTotpPolicy(CONFIG).decide(lookup);

        assertEquals(expected, decision.mode());
        assertEquals(List.of("/staff"), decision.unknownGroups());
    }

    @ParameterizedTest(name = "missing {0}")
    @CsvSource({"/extranet", "/no-smartphone"})
    void missingOptionalOrExemptGroupGrantsNothingAndIsReported(String missing) {
        GroupMembershipLookup lookup = path -> path.equals(missing) ? Membership.UNKNOWN_GROUP : Membership.NOT_MEMBER;

        PolicyDecision decision = new GroupTotpPolicy(CONFIG).decide(lookup);

        assertEquals(TotpMode.OPTIONAL, decision.mode());
        assertEquals(List.of(missing), decision.unknownGroups());
    }

    @ParameterizedTest(name = "required {0}")
    @CsvSource(delimiter = '|', value = {"/a##/b|/b", "/a##/b|/a"})
    void anyOfSeveralRequiredGroupsMakesTheUserRequired(String required, String memberOf) {
        GroupTotpConfig config = GroupTotpConfig.from(Map.of(GroupTotpConfig.REQUIRED_GROUPS, required));

        assertEquals(TotpMode.REQUIRED, new GroupTotpPolicy(config).decide(memberOf(memberOf)).mode());
    }
}

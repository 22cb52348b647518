package io.github.grouptotp.policy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Which second factors meet the policy: {@code acceptedFactors} and {@code phishingResistantGroups}. */
class FactorPolicyTest {

    private static Set<SecondFactor> factors(String names) {
        return names == null || names.isBlank() ? Set.of()
                : Arrays.stream(names.split(" ")).map(SecondFactor::valueOf).collect(Collectors.toCollection(() -> EnumSet.noneOf(SecondFactor.class)));
    }

    @ParameterizedTest(name = "acceptedFactors [{0}] -> {1}, problem {2}")
    @CsvSource(delimiter = '|', nullValues = "NULL", value = {
            // Never saved, or saved before the setting existed: every factor counts.
            "NULL|OTP WEBAUTHN PASSKEY|false",
            "''|OTP WEBAUTHN PASSKEY|false",
            "##|OTP WEBAUTHN PASSKEY|false",
            "otp|OTP|false",
            "webauthn##passkey|WEBAUTHN PASSKEY|false",
            "passkey, otp|OTP PASSKEY|false",
            "otp##otp|OTP|false",
            // A name that is no factor is ignored and reported; the others stand.
            "otp##sms|OTP|true",
            // Nothing usable: only the phishing-resistant factors, never the app by mistake.
            "webauth|WEBAUTHN PASSKEY|true",
            "OTP|WEBAUTHN PASSKEY|true",
    })
    void acceptedFactors(String stored, String expected, boolean problem) {
        Map<String, String> values = new HashMap<>();
        if (stored != null) {
            values.put(GroupTotpConfig.ACCEPTED_FACTORS, stored);
        }
        GroupTotpConfig config = GroupTotpConfig.from(values);
        assertEquals(factors(expected), config.acceptedFactors());
        assertEquals(problem, !config.problems().isEmpty(), config.problems().toString());
        assertTrue(config.problems().stream().allMatch(p -> p.startsWith(GroupTotpConfig.ACCEPTED_FACTORS)), config.problems().toString());
    }

    @ParameterizedTest(name = "groups {0}, accepted [{1}] -> {2}, satisfying [{3}]")
    @CsvSource(delimiter = '|', value = {
            "/staff|otp##webauthn##passkey|REQUIRED|OTP WEBAUTHN PASSKEY",
            "/admins|otp##webauthn##passkey|REQUIRED|WEBAUTHN PASSKEY",
            // A phishing-resistant group makes its members required; exemption lifts only that.
            "/admins /extranet|otp##webauthn##passkey|REQUIRED|WEBAUTHN PASSKEY",
            "/admins /no-smartphone|otp##webauthn##passkey|EXEMPT|WEBAUTHN PASSKEY",
            "/extranet|otp##passkey|OPTIONAL|OTP PASSKEY",
            "/admins|otp##passkey|REQUIRED|PASSKEY",
            // The group's own requirement is the stricter: keys count for it even when only the app is accepted.
            "/admins|otp|REQUIRED|WEBAUTHN PASSKEY",
            "/staff|otp|REQUIRED|OTP",
    })
    void phishingResistantGroupsNeedAKeyOrPasskey(String groups, String accepted, TotpMode mode, String satisfying) {
        GroupTotpConfig config = GroupTotpConfig.from(Map.of(
                GroupTotpConfig.REQUIRED_GROUPS, "/staff", GroupTotpConfig.OPTIONAL_GROUPS, "/extranet",
                GroupTotpConfig.EXEMPT_GROUPS, "/no-smartphone", GroupTotpConfig.PHISHING_RESISTANT_GROUPS, "/admins",
                GroupTotpConfig.ACCEPTED_FACTORS, accepted));
        Set<String> member = Set.of(groups.split(" "));
        PolicyDecision decision = new GroupTotpPolicy(config).decide(path -> member.contains(path) ? Membership.MEMBER : Membership.NOT_MEMBER);
        assertEquals(mode, decision.mode());
        assertEquals(factors(satisfying), decision.satisfying());
        assertEquals(!factors(satisfying).contains(SecondFactor.OTP), decision.phishingResistant());
    }

    @ParameterizedTest(name = "phishing-resistant group missing, member of [{0}] -> {1}")
    @CsvSource(delimiter = '|', value = {
            // Fail closed, as for a missing required group: nobody unclaimed escapes.
            "|REQUIRED|true",
            "/other|REQUIRED|true",
            "/extranet|OPTIONAL|false",
            "/no-smartphone|EXEMPT|false",
    })
    void aMissingPhishingResistantGroupFailsClosed(String groups, TotpMode mode, boolean phishingResistant) {
        GroupTotpConfig config = GroupTotpConfig.from(Map.of(GroupTotpConfig.REQUIRED_GROUPS, "/staff",
                GroupTotpConfig.OPTIONAL_GROUPS, "/extranet", GroupTotpConfig.EXEMPT_GROUPS, "/no-smartphone",
                GroupTotpConfig.PHISHING_RESISTANT_GROUPS, "/gone"));
        Set<String> member = groups == null ? Set.of() : Set.of(groups.split(" "));
        PolicyDecision decision = new GroupTotpPolicy(config).decide(path -> path.equals("/gone") ? Membership.UNKNOWN_GROUP
                : member.contains(path) ? Membership.MEMBER : Membership.NOT_MEMBER);
        assertEquals(mode, decision.mode());
        assertEquals(phishingResistant, decision.phishingResistant());
        assertEquals(List.of("/gone"), decision.unknownGroups());
    }

    @ParameterizedTest(name = "{0}, satisfying [{1}], holds [{2}] -> {3}, must add {4}")
    @CsvSource(delimiter = '|', value = {
            "REQUIRED|OTP WEBAUTHN PASSKEY|OTP|ASK_CODE|false",
            "REQUIRED|WEBAUTHN PASSKEY|OTP|ASK_CODE|true",
            "REQUIRED|WEBAUTHN PASSKEY|OTP PASSKEY|ASK_CODE|false",
            "REQUIRED|WEBAUTHN PASSKEY||ENROL|false",
            // Any factor held is asked, even one that does not count; only required users must add one that does.
            "OPTIONAL|WEBAUTHN PASSKEY|OTP|ASK_CODE|false",
            "EXEMPT|WEBAUTHN PASSKEY|OTP|ASK_CODE|false",
            "OPTIONAL|OTP||PASS|false",
    })
    void whatAUserWithTheseFactorsIsAsked(TotpMode mode, String satisfying, String held, LoginStep step, boolean mustAdd) {
        PolicyDecision decision = new PolicyDecision(mode, List.of(), factors(satisfying));
        assertEquals(step, decision.nextStep(!factors(held).isEmpty()));
        assertEquals(mustAdd, decision.mustAddFactor(factors(held)));
    }
}

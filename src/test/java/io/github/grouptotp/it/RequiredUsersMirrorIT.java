package io.github.grouptotp.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import io.restassured.http.ContentType;
import io.restassured.path.json.JsonPath;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.MethodSource;
import org.keycloak.representations.idm.ClientRepresentation;
import org.keycloak.representations.idm.GroupRepresentation;
import org.keycloak.representations.idm.RealmRepresentation;

import io.github.grouptotp.policy.GroupMembershipLookup;
import io.github.grouptotp.policy.GroupTotpConfig;
import io.github.grouptotp.policy.GroupTotpPolicy;
import io.github.grouptotp.policy.Membership;
import io.github.grouptotp.policy.PolicyDecision;
import io.github.grouptotp.policy.TotpMode;

/**
 * The rollout's query of the required users is the named mirror of the policy ({@code RequiredUsers} of
 * {@link GroupTotpPolicy}): one table of memberships goes through both, and the report and the summary must count
 * exactly the users the policy decides for the same memberships, under each setting of the groups (all groups there,
 * a missing required group beside one that exists, only missing required groups, no optional group that exists, no
 * optional group at all: saved empty, which Keycloak stores as a missing key). The realms
 * have subgroups under the required, the optional and the exempt group, and a service account, which the policy
 * never sees at a browser login and the report never counts.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class RequiredUsersMirrorIT extends KeycloakIT {

    /** Every group of the realms, subgroups included. */
    private static final Set<String> GROUPS = Set.of("/staff", "/staff/doctors", "/extranet", "/extranet/partners",
            "/no-smartphone", "/no-smartphone/interns");

    /** The groups a user of a row is put in directly. */
    private static final List<List<String>> MEMBERSHIPS = List.of(
            List.of(),
            List.of("/staff"),
            List.of("/staff/doctors"),
            List.of("/extranet"),
            List.of("/extranet/partners"),
            List.of("/no-smartphone"),
            List.of("/no-smartphone/interns"),
            List.of("/staff", "/extranet"),
            List.of("/staff/doctors", "/extranet/partners"),
            List.of("/staff", "/no-smartphone"),
            List.of("/staff/doctors", "/no-smartphone/interns"),
            List.of("/extranet", "/no-smartphone"),
            List.of("/extranet/partners", "/no-smartphone/interns"),
            List.of("/staff", "/extranet", "/no-smartphone"));

    /** The step's groups, as an admin may have set them (paths separated by ##). */
    enum Setting {
        ALL_GROUPS_EXIST("/staff", "/extranet", "/no-smartphone"),
        A_REQUIRED_GROUP_IS_MISSING("/staff##/renamed-staff", "/extranet", "/no-smartphone"),
        ONLY_MISSING_REQUIRED_GROUPS("/renamed-staff", "/extranet##/no-such-optional", "/no-smartphone##/no-such-exempt"),
        NO_OPTIONAL_GROUP_EXISTS_AND_A_REQUIRED_ONE_IS_MISSING("/renamed-staff", "/no-such-optional", "/no-smartphone"),
        // Saved empty: Keycloak stores it as a missing key, which the step reads as no optional groups.
        NO_OPTIONAL_GROUP_AND_A_MISSING_REQUIRED_ONE("/renamed-staff", "", "/no-smartphone"),
        // Only a key or passkey satisfies the doctors; /extranet/partners too, which also makes them required.
        PHISHING_RESISTANT_GROUPS("/staff", "/extranet", "/no-smartphone", "/staff/doctors##/extranet/partners"),
        A_PHISHING_RESISTANT_GROUP_IS_MISSING("/staff", "/extranet", "/no-smartphone", "/renamed-doctors");

        final Map<String, String> stepConfig;

        Setting(String required, String optional, String exempt) {
            this(required, optional, exempt, "");
        }

        Setting(String required, String optional, String exempt, String phishingResistant) {
            stepConfig = Map.of(GroupTotpConfig.REQUIRED_GROUPS, required, GroupTotpConfig.OPTIONAL_GROUPS, optional,
                    GroupTotpConfig.EXEMPT_GROUPS, exempt, GroupTotpConfig.PHISHING_RESISTANT_GROUPS, phishingResistant);
        }

        String realm() {
            return "group-totp-mirror-" + ordinal();
        }
    }

    /**
     * One user of the table in one realm, and what the policy decides for that user's memberships: the mode, and
     * whether only a key or passkey satisfies a required user (every factor is accepted in these realms).
     */
    record Member(Setting setting, List<String> groups, TestUser user, TotpMode policy, boolean phishingResistant) {
    }

    private final Map<Setting, List<Member>> members = new EnumMap<>(Setting.class);
    private final Map<Setting, Set<String>> reported = new EnumMap<>(Setting.class);
    private final Map<Setting, Map<String, Boolean>> reportedPhishingResistant = new EnumMap<>(Setting.class);

    @BeforeAll
    void everyRowOfTheTableInEveryRealm() {
        for (Setting setting : Setting.values()) {
            importDemoRealmCopy(setting.realm(), setting.stepConfig, RequiredUsersMirrorIT::subgroupsAndAServiceAccount);
            GroupTotpPolicy policy = new GroupTotpPolicy(GroupTotpConfig.from(setting.stepConfig));
            List<Member> rows = new ArrayList<>();
            for (List<String> groups : MEMBERSHIPS) {
                TestUser user = newUserIn(setting.realm(), groups.toArray(String[]::new));
                PolicyDecision decision = policy.decide(memberOf(groups));
                rows.add(new Member(setting, groups, user, decision.mode(), decision.mode() == TotpMode.REQUIRED && decision.phishingResistant()));
            }
            members.put(setting, rows);
            List<Map<String, Object>> report = report(setting, Map.of()).getList("users");
            reported.put(setting, report.stream().map(row -> (String) row.get("username")).collect(Collectors.toSet()));
            reportedPhishingResistant.put(setting, report.stream().collect(Collectors.toMap(
                    row -> (String) row.get("username"), row -> (Boolean) row.get("phishingResistantRequired"))));
        }
    }

    /** What Keycloak answers a login for a member of these groups: a member of a subgroup is a member of the group. */
    private static GroupMembershipLookup memberOf(List<String> groups) {
        return path -> !GROUPS.contains(path) ? Membership.UNKNOWN_GROUP
                : groups.stream().anyMatch(group -> group.equals(path) || group.startsWith(path + "/")) ? Membership.MEMBER
                : Membership.NOT_MEMBER;
    }

    Stream<Arguments> everyMember() {
        return members.values().stream().flatMap(List::stream)
                .map(member -> Arguments.of(member.setting(), String.join(" ", member.groups()), member));
    }

    @ParameterizedTest(name = "{0}, member of [{1}]")
    @MethodSource("everyMember")
    void theReportListsAUserExactlyWhenThePolicyRequiresThem(Setting setting, String groups, Member member) {
        assertEquals(member.policy() == TotpMode.REQUIRED, reported.get(setting).contains(member.user().username()),
                "policy: " + member.policy());
    }

    @ParameterizedTest(name = "{0}, member of [{1}]")
    @MethodSource("everyMember")
    void theReportSaysPhishingResistantExactlyWhenThePolicyDoes(Setting setting, String groups, Member member) {
        if (member.policy() == TotpMode.REQUIRED) {
            assertEquals(member.phishingResistant(), reportedPhishingResistant.get(setting).get(member.user().username()));
        } else {
            assertFalse(reportedPhishingResistant.get(setting).containsKey(member.user().username()), "not in the report");
        }
    }

    @ParameterizedTest
    @EnumSource(Setting.class)
    void theReportIsTheSetThePolicyRequiresAndNothingElse(Setting setting) {
        Set<String> required = usernames(setting, TotpMode.REQUIRED);

        assertEquals(required, reported.get(setting), "service accounts and users outside the table never count");
        assertEquals(required, Set.copyOf(report(setting, Map.of("status", "not_enrolled")).getList("users.username")));
        assertEquals(required, Set.copyOf(report(setting, Map.of("status", "grace")).getList("users.username")),
                "nobody here has logged in, so nobody is overdue");
    }

    @ParameterizedTest
    @EnumSource(Setting.class)
    void theSummaryCountsWhatThePolicyDecides(Setting setting) {
        JsonPath summary = admin.request().accept(ContentType.JSON).get("/admin/realms/{realm}/group-totp/summary", setting.realm())
                .then().statusCode(200).extract().jsonPath();

        Map<String, Integer> counts = new HashMap<>();
        Arrays.stream(TotpMode.values()).forEach(mode -> counts.put(mode.name(), usernames(setting, mode).size()));
        assertEquals(counts, Map.of(TotpMode.REQUIRED.name(), summary.getInt("required"),
                TotpMode.OPTIONAL.name(), summary.getInt("optional"), TotpMode.EXEMPT.name(), summary.getInt("exempt")));
    }

    private Set<String> usernames(Setting setting, TotpMode mode) {
        return members.get(setting).stream().filter(member -> member.policy() == mode)
                .map(member -> member.user().username()).collect(Collectors.toSet());
    }

    private JsonPath report(Setting setting, Map<String, String> filter) {
        return admin.request().accept(ContentType.JSON).queryParam("max", 10_000).queryParams(filter)
                .get("/admin/realms/{realm}/group-totp/report", setting.realm())
                .then().statusCode(200).extract().jsonPath();
    }

    private static void subgroupsAndAServiceAccount(RealmRepresentation realm) {
        for (GroupRepresentation group : realm.getGroups()) {
            if (group.getPath().equals("/extranet")) {
                group.setSubGroups(List.of(subgroup("/extranet", "partners")));
            } else if (group.getPath().equals("/no-smartphone")) {
                group.setSubGroups(List.of(subgroup("/no-smartphone", "interns")));
            }
        }
        ClientRepresentation service = new ClientRepresentation();
        service.setClientId("group-totp-mirror-service");
        service.setPublicClient(false);
        service.setSecret("mirror-service-secret");
        service.setServiceAccountsEnabled(true);
        service.setStandardFlowEnabled(false);
        realm.setClients(List.of(service));
    }

    private static GroupRepresentation subgroup(String parent, String name) {
        GroupRepresentation group = new GroupRepresentation();
        group.setName(name);
        group.setPath(parent + "/" + name);
        return group;
    }
}

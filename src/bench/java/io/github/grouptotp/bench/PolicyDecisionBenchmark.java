package io.github.grouptotp.bench;

import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;

import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

import io.github.grouptotp.policy.GroupMembershipLookup;
import io.github.grouptotp.policy.GroupTotpConfig;
import io.github.grouptotp.policy.GroupTotpPolicy;
import io.github.grouptotp.policy.Membership;
import io.github.grouptotp.policy.PolicyDecision;

/**
 * The pure policy decision for a user in 1 or in 200 groups (run: scripts/benchmark-policy.sh). Group membership
 * is a set lookup here; in Keycloak it is the group model's, measured by the login benchmark.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
public class PolicyDecisionBenchmark {

    @Param({"1", "200"})
    public int groupsOfUser;

    private GroupTotpPolicy policy;
    private GroupMembershipLookup lookup;

    @Setup
    public void setUp() {
        policy = new GroupTotpPolicy(GroupTotpConfig.from(Map.of(
                GroupTotpConfig.REQUIRED_GROUPS, "/staff##/management",
                GroupTotpConfig.OPTIONAL_GROUPS, "/extranet",
                GroupTotpConfig.EXEMPT_GROUPS, "/no-smartphone")));
        Set<String> member = new HashSet<>();
        member.add("/staff");
        for (int i = 1; i < groupsOfUser; i++) {
            member.add("/department-" + i);
        }
        lookup = path -> member.contains(path) ? Membership.MEMBER : Membership.NOT_MEMBER;
    }

    @Benchmark
    public PolicyDecision decide() {
        return policy.decide(lookup);
    }
}

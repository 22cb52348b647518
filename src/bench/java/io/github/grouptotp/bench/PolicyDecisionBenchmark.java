package io.github.grouptotp.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
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
import org.openjdk.jmh.results.format.ResultFormatType;
import org.openjdk.jmh.runner.Runner;
import org.openjdk.jmh.runner.options.ChainedOptionsBuilder;
import org.openjdk.jmh.runner.options.OptionsBuilder;
import org.openjdk.jmh.runner.options.TimeValue;

import io.github.grouptotp.policy.GroupMembershipLookup;
import io.github.grouptotp.policy.GroupTotpConfig;
import io.github.grouptotp.policy.GroupTotpPolicy;
import io.github.grouptotp.policy.Membership;
import io.github.grouptotp.policy.PolicyDecision;
import io.github.grouptotp.it.BenchmarkResults;

/**
 * The pure policy decision for a user in 1 or in 200 groups (run: scripts/benchmark-policy.sh). Group membership
 * is a set lookup here; in Keycloak it is the group model's, measured by the login benchmark.
 *
 * <p>{@link #main} runs JMH with a JSON result file, embeds that file's content verbatim in the raw file
 * (docs/benchmark-raw/policy-*.json) with the machine it ran on, and generates the section of
 * docs/benchmark-results.md from the raw file: no figure is copied by hand. Options (system properties):
 * {@code bench.jmh.forks}, {@code bench.jmh.warmups}, {@code bench.jmh.iterations}, {@code bench.jmh.seconds}
 * (defaults: the annotations below).
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

    public static void main(String[] args) throws Exception {
        Path jmhResult = Path.of("target/jmh-policy.json").toAbsolutePath();
        Files.createDirectories(jmhResult.getParent());
        ChainedOptionsBuilder options = new OptionsBuilder()
                .include(PolicyDecisionBenchmark.class.getName() + ".decide")
                .resultFormat(ResultFormatType.JSON)
                .result(jmhResult.toString());
        ObjectNode raw = BenchmarkResults.newRaw("policy");
        ObjectNode settings = raw.putObject("settings");
        settings.put("jmhResultFile", jmhResult.toString());
        if (Integer.getInteger("bench.jmh.forks") != null) {
            options.forks(Integer.getInteger("bench.jmh.forks"));
        }
        if (Integer.getInteger("bench.jmh.warmups") != null) {
            options.warmupIterations(Integer.getInteger("bench.jmh.warmups"));
        }
        if (Integer.getInteger("bench.jmh.iterations") != null) {
            options.measurementIterations(Integer.getInteger("bench.jmh.iterations"));
        }
        if (Integer.getInteger("bench.jmh.seconds") != null) {
            TimeValue time = TimeValue.seconds(Integer.getInteger("bench.jmh.seconds"));
            options.warmupTime(time).measurementTime(time);
        }
        new Runner(options.build()).run();
        raw.set("jmh", new ObjectMapper().readTree(Files.readString(jmhResult)));
        BenchmarkResults.publish(raw);
    }

    /** The section of docs/benchmark-results.md, generated from the raw file (JMH's own JSON result inside it). */
    public static String render(JsonNode raw, String rawLink) {
        StringBuilder out = new StringBuilder();
        out.append("## Policy decision, JMH (scripts/benchmark-policy.sh)\n\n").append(BenchmarkResults.header(raw, rawLink)).append('\n');
        JsonNode first = raw.get("jmh").get(0);
        out.append(String.format(Locale.ROOT, "JMH %s, %s on %s %s; %d fork(s), %d warm-up and %d measured iterations of %s each; "
                        + "the error is half JMH's 99.9%% confidence interval.%n%n",
                first.get("jmhVersion").asText(), first.get("mode").asText(), first.get("vmName").asText(), first.get("jdkVersion").asText(),
                first.get("forks").asInt(), first.get("warmupIterations").asInt(), first.get("measurementIterations").asInt(),
                first.get("measurementTime").asText()));
        out.append("| benchmark | user's groups | score | error | unit | every measured iteration |\n|---|---|---|---|---|---|\n");
        for (JsonNode result : raw.get("jmh")) {
            JsonNode metric = result.get("primaryMetric");
            List<String> iterations = new java.util.ArrayList<>();
            metric.get("rawData").forEach(fork -> fork.forEach(v -> iterations.add(String.format(Locale.ROOT, "%.1f", v.asDouble()))));
            String benchmark = result.get("benchmark").asText();
            out.append(String.format(Locale.ROOT, "| `%s` | %s | %.1f | ± %.1f | %s | %s |%n",
                    benchmark.substring(benchmark.lastIndexOf('.', benchmark.lastIndexOf('.') - 1) + 1),
                    result.path("params").path("groupsOfUser").asText("?"), metric.get("score").asDouble(),
                    metric.get("scoreError").asDouble(), metric.get("scoreUnit").asText(), String.join(", ", iterations)).replace("± NaN", "n/a (too few iterations)"));
        }
        out.append("\nThe decision asks only about the configured groups, so it should not grow with the user's groups: "
                + "compare the two rows within their error bars.\n");
        return out.toString();
    }
}

package io.github.grouptotp.it;

import static io.restassured.RestAssured.given;
import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

/**
 * The real Keycloak distribution (unpacked by Maven from Maven Central) with the freshly built provider JAR,
 * started once per test JVM in dev mode on free ports with an in-memory database, and stopped when the JVM exits.
 */
public final class KeycloakServer {

    public static final String ADMIN_USER = "admin";
    public static final String ADMIN_PASSWORD = "admin";
    /** How long a boot may take: 5 minutes, or {@code -Dkeycloak.boot.minutes} on a machine busy with other work. */
    private static final Duration BOOT_TIMEOUT = Duration.ofMinutes(Long.getLong("keycloak.boot.minutes", 5));

    private static KeycloakServer instance;

    private final String baseUrl;
    private final String managementUrl;
    private final Path log;
    private final Admin admin;
    private final Process process;

    private KeycloakServer(String baseUrl, String managementUrl, Path log, Process process) {
        this.baseUrl = baseUrl;
        this.managementUrl = managementUrl;
        this.log = log;
        this.process = process;
        this.admin = new Admin(baseUrl, ADMIN_USER, ADMIN_PASSWORD);
    }

    public static synchronized KeycloakServer get() {
        if (instance == null) {
            try {
                instance = start();
            } catch (IOException e) {
                throw new IllegalStateException("Keycloak did not start", e);
            }
        }
        return instance;
    }

    public String baseUrl() {
        return baseUrl;
    }

    /** The management interface: /metrics, /health. */
    public String managementUrl() {
        return managementUrl;
    }

    public Admin admin() {
        return admin;
    }

    /** The Keycloak JVM's process id (kc.sh may run it as a child), for reading its CPU time. */
    public long pid() {
        return jvmPid(process);
    }

    /** The JVM that kc.sh started (or kc.sh itself if it runs none). */
    static long jvmPid(Process process) {
        return process.descendants()
                .filter(p -> p.info().command().map(c -> c.endsWith("java")).orElse(false))
                .findFirst()
                .map(ProcessHandle::pid)
                .orElse(process.pid());
    }

    /** Everything the server has logged so far. */
    public String log() throws IOException {
        return Files.readString(log);
    }

    private static KeycloakServer start() throws IOException {
        Path home = Path.of(required("keycloak.dist.dir"));
        Path log = Path.of(required("keycloak.log"));
        deployProvider(home, Path.of(required("provider.jar")));

        int httpPort = freePort();
        int managementPort = freePort();
        Process process = launch(home, List.of("start-dev",
                "--http-port=" + httpPort,
                "--http-management-port=" + managementPort,
                "--metrics-enabled=true",
                "--db=dev-mem",
                // A preview feature before Keycloak 26.3 (default since): the step's recovery codes need it.
                "--features=recovery-codes",
                "--log-level=INFO,io.github.grouptotp:DEBUG"), log, Map.of());
        Runtime.getRuntime().addShutdownHook(new Thread(() -> stop(process)));

        String baseUrl = "http://localhost:" + httpPort;
        awaitReady(process, baseUrl, log);
        KeycloakServer server = new KeycloakServer(baseUrl, "http://localhost:" + managementPort, log, process);
        server.admin.importRealm(Admin.demoRealm());
        return server;
    }

    /** Puts the provider JAR into a distribution's providers/, replacing any other build of it. */
    static void deployProvider(Path home, Path jar) throws IOException {
        Path providers = home.resolve("providers");
        try (Stream<Path> old = Files.list(providers)) {
            for (Path p : old.filter(p -> p.getFileName().toString().startsWith("keycloak-group-totp")).toList()) {
                Files.delete(p);
            }
        }
        Files.copy(jar, providers.resolve(jar.getFileName()), StandardCopyOption.REPLACE_EXISTING);
    }

    /**
     * Runs {@code bin/kc.sh} of the distribution at {@code home} with these arguments, on a JDK this Keycloak runs on,
     * with the bootstrap admin {@value #ADMIN_USER}; its output goes to {@code log}.
     */
    static Process launch(Path home, List<String> arguments, Path log, Map<String, String> environment) throws IOException {
        List<String> command = new ArrayList<>();
        command.add(home.resolve("bin/kc.sh").toString());
        command.addAll(arguments);
        ProcessBuilder builder = new ProcessBuilder(command)
                .redirectErrorStream(true)
                .redirectOutput(log.toFile());
        builder.environment().put("JAVA_HOME", javaHome().toString());
        builder.environment().put("KC_BOOTSTRAP_ADMIN_USERNAME", ADMIN_USER);
        builder.environment().put("KC_BOOTSTRAP_ADMIN_PASSWORD", ADMIN_PASSWORD);
        builder.environment().putAll(environment);
        return builder.start();
    }

    /** Stops Keycloak as an orchestrator does (SIGTERM to kc.sh and the JVM it started) and waits until it is gone. */
    static void stop(Process process) {
        process.descendants().forEach(ProcessHandle::destroy);
        process.destroy();
        try {
            process.waitFor();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** Waits until Keycloak answers for the master realm, failing early if its process ends. */
    static void awaitReady(Process process, String baseUrl, Path log) {
        await("Keycloak at " + baseUrl + " (log: " + log + ")").atMost(BOOT_TIMEOUT).pollInterval(Duration.ofMillis(500))
                .ignoreExceptionsMatching(e -> e instanceof java.net.ConnectException)
                .until(() -> {
                    if (!process.isAlive()) {
                        throw new IllegalStateException("Keycloak exited with " + process.exitValue() + "; see " + log);
                    }
                    return given().get(baseUrl + "/realms/master").statusCode() == 200;
                });
    }

    /** Whether the Keycloak under test is {@code minor} (e.g. "26.5") or later. */
    static boolean atLeast(String minor) {
        String[] have = version().split("\\.");
        String[] want = minor.split("\\.");
        for (int i = 0; i < want.length; i++) {
            int h = i < have.length && have[i].matches("\\d+") ? Integer.parseInt(have[i]) : 0;
            int w = Integer.parseInt(want[i]);
            if (h != w) {
                return h > w;
            }
        }
        return true;
    }

    /** The Keycloak version under test, e.g. 26.0.8 (from the pom). */
    static String version() {
        return System.getProperty("keycloak.test.version", "unknown");
    }

    /**
     * The JDK that runs Keycloak: {@code -Dkeycloak.java.home} if given, else the one running the tests, except that
     * Keycloak 26.0 to 26.2 do not start on a Java newer than 21 (their Hibernate cannot read its classes): then a JDK
     * 21 or 17 is looked for where Debian and GitHub's runners install them.
     */
    static Path javaHome() {
        String chosen = System.getProperty("keycloak.java.home", "");
        if (!chosen.isBlank()) {
            return Path.of(chosen);
        }
        Path current = Path.of(System.getProperty("java.home"));
        if (Runtime.version().feature() <= 21 || !version().matches("26\\.[0-2]\\..*")) {
            return current;
        }
        List<Path> candidates = new ArrayList<>();
        for (String variable : List.of("JAVA_HOME_21_X64", "JAVA_HOME_17_X64")) {
            String value = System.getenv(variable);
            if (value != null) {
                candidates.add(Path.of(value));
            }
        }
        try (Stream<Path> installed = Files.list(Path.of("/usr/lib/jvm"))) {
            installed.filter(p -> p.getFileName().toString().matches(".*-(21|17)-.*|.*-(21|17)")).sorted().forEach(candidates::add);
        } catch (IOException noSuchDirectory) {
            // only the environment's candidates
        }
        return candidates.stream().filter(p -> Files.isExecutable(p.resolve("bin/java"))).findFirst()
                .orElseThrow(() -> new IllegalStateException("Keycloak " + version() + " does not start on Java "
                        + Runtime.version().feature() + ": run the tests with a JDK 17 or 21, or pass -Dkeycloak.java.home"));
    }

    static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }

    private static String required(String property) {
        String value = System.getProperty(property);
        if (value == null) {
            throw new IllegalStateException("System property " + property + " is not set; run the tests with mvn verify");
        }
        return value;
    }
}

package io.github.grouptotp.it;

import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

import org.keycloak.representations.idm.RealmRepresentation;

/**
 * Two Keycloak nodes in production mode ({@code kc.sh start}, HTTP on loopback, distinct ports) clustered with
 * Keycloak's own Infinispan (the nodes list each other's loopback port, see writeCacheConfig), sharing one
 * PostgreSQL (Debian's package, see scripts/postgres.sh), with the provider JAR deployed. Started once per test JVM on first use, stopped when it exits.
 */
public final class KeycloakCluster {

    private static final String CACHE_CONFIG = "group-totp-cluster-ispn.xml";
    static final int REMINDER_INTERVAL_SECONDS = 2;
    private static final Pattern TWO_MEMBER_VIEW = Pattern.compile("ISPN000094: Received new cluster view .*\\(2\\)");
    private static KeycloakCluster instance;

    public final class Node {
        private final String name;
        private final Path home;
        private final int httpPort;
        private final int managementPort;
        private final int clusterPort;
        private final Path log;
        private Process process;
        private Admin admin;

        Node(String name, Path home) throws IOException {
            this.name = name;
            this.home = home;
            this.httpPort = KeycloakServer.freePort();
            this.managementPort = KeycloakServer.freePort();
            this.clusterPort = KeycloakServer.freePort();
            this.log = home.getParent().resolve(name + ".log");
        }

        public String baseUrl() {
            return "http://localhost:" + httpPort;
        }

        public Admin admin() {
            return admin;
        }

        public String log() throws IOException {
            return Files.readString(log);
        }

        void start() throws IOException, InterruptedException {
            // The cluster transport on loopback, on this node's port (read by the JGroups stack of CACHE_CONFIG).
            process = KeycloakServer.launch(home, List.of("start", "--optimized",
                    "--db-url=jdbc:postgresql://127.0.0.1:" + postgresPort + "/keycloak",
                    "--db-username=keycloak", "--db-password=keycloak",
                    "--http-enabled=true", "--http-host=127.0.0.1", "--http-port=" + httpPort,
                    "--http-management-port=" + managementPort,
                    "--hostname-strict=false",
                    "--cache-config-file=" + CACHE_CONFIG,
                    // Both nodes run the reminder task every 2 s, so that runs on the two nodes overlap.
                    "--spi-admin-realm-restapi-extension-group-totp-reminder-interval-seconds=" + REMINDER_INTERVAL_SECONDS,
                    "--log-level=INFO,io.github.grouptotp:DEBUG"), log,
                    Map.of("JAVA_OPTS_APPEND", "-Djgroups.bind.address=127.0.0.1 -Djgroups.bind.port=" + clusterPort));
            KeycloakServer.awaitReady(process, baseUrl(), log);
            admin = new Admin(baseUrl(), KeycloakServer.ADMIN_USER, KeycloakServer.ADMIN_PASSWORD);
        }

        /** Stops the node the way an orchestrator does (SIGTERM) and waits until it is gone. */
        public void stop() {
            KeycloakServer.stop(process);
        }

        void kill() {
            if (process != null && process.isAlive()) {
                process.descendants().forEach(ProcessHandle::destroyForcibly);
                process.destroyForcibly();
            }
        }

        @Override
        public String toString() {
            return name + " " + baseUrl();
        }
    }

    private final Path workDir;
    private final int postgresPort;
    private final Path postgresDir;
    public final Node a;
    public final Node b;

    private KeycloakCluster(Path workDir) throws IOException {
        this.workDir = workDir;
        this.postgresPort = KeycloakServer.freePort();
        this.postgresDir = Path.of("/tmp", "group-totp-cluster-pg-" + postgresPort);
        this.a = new Node("node-a", workDir.resolve("node-a"));
        this.b = new Node("node-b", workDir.resolve("node-b"));
    }

    public static synchronized KeycloakCluster get() {
        if (instance == null) {
            try {
                instance = start();
            } catch (IOException e) {
                throw new IllegalStateException("The Keycloak cluster did not start", e);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException(e);
            }
        }
        return instance;
    }

    private static KeycloakCluster start() throws IOException, InterruptedException {
        Path dist = Path.of(System.getProperty("keycloak.dist.dir"));
        Path jar = Path.of(System.getProperty("provider.jar"));
        Path workDir = Path.of(System.getProperty("keycloak.log")).getParent().resolve("cluster-" + KeycloakServer.version());
        run(List.of("rm", "-rf", workDir.toString()));
        Files.createDirectories(workDir);
        KeycloakCluster cluster = new KeycloakCluster(workDir);
        Runtime.getRuntime().addShutdownHook(new Thread(cluster::shutDown));

        run(List.of("bash", Path.of("scripts/postgres.sh").toAbsolutePath().toString(), "start",
                cluster.postgresDir.toString(), String.valueOf(cluster.postgresPort)));

        // One production build for PostgreSQL, then a copy per node (each node keeps its own data/ directory).
        run(List.of("cp", "-a", dist.toString(), cluster.a.home.toString()));
        run(List.of("rm", "-rf", cluster.a.home.resolve("data").toString()));
        KeycloakServer.deployProvider(cluster.a.home, jar);
        cluster.writeCacheConfig(cluster.a.home.resolve("conf"));
        run(List.of(cluster.a.home.resolve("bin/kc.sh").toString(), "build", "--db=postgres", "--health-enabled=true", "--features=recovery-codes"),
                Map.of("JAVA_HOME", KeycloakServer.javaHome().toString()));
        run(List.of("cp", "-a", cluster.a.home.toString(), cluster.b.home.toString()));

        // One after the other: the first creates the schema and the admin, the second joins.
        cluster.a.start();
        cluster.b.start();
        cluster.awaitTwoMemberView();
        // Brute-force detection off (Keycloak's default): the extension's own limits must hold across nodes without it.
        RealmRepresentation realm = Admin.demoRealm();
        realm.setBruteForceProtected(false);
        cluster.a.admin().importRealm(realm);
        return cluster;
    }

    /**
     * The distribution's own cache configuration with one change: the nodes find each other at their two loopback
     * ports (TCPPING). Every Keycloak 26 release can do that; 26.0 has neither the jdbc-ping stack of later releases
     * nor the options for its bind address, and multicast does not work on loopback.
     */
    private void writeCacheConfig(Path conf) throws IOException {
        String config = Files.readString(conf.resolve("cache-ispn.xml"));
        String stack = """
                    <jgroups>
                        <stack name="group-totp-test" extends="tcp">
                            <TCPPING initial_hosts="127.0.0.1[%d],127.0.0.1[%d]" port_range="0"
                                     stack.combine="REPLACE" stack.position="MPING"/>
                        </stack>
                    </jgroups>
                    <cache-container""".formatted(a.clusterPort, b.clusterPort);
        config = config.replaceFirst("<cache-container", stack)
                .replaceFirst("<transport lock-timeout=\"60000\"[^/]*/>", "<transport lock-timeout=\"60000\" stack=\"group-totp-test\"/>");
        Files.writeString(conf.resolve(CACHE_CONFIG), config);
    }

    private void awaitTwoMemberView() {
        await("a two-member cluster view (logs in " + workDir + ")").atMost(Duration.ofMinutes(2)).pollInterval(Duration.ofMillis(200))
                .until(() -> TWO_MEMBER_VIEW.matcher(a.log()).find() && TWO_MEMBER_VIEW.matcher(b.log()).find());
    }

    private void shutDown() {
        a.kill();
        b.kill();
        try {
            run(List.of("bash", Path.of("scripts/postgres.sh").toAbsolutePath().toString(), "stop", postgresDir.toString()));
        } catch (IOException | InterruptedException e) {
            // the JVM is exiting; nothing more to do
        }
    }

    private static void run(List<String> command) throws IOException, InterruptedException {
        run(command, Map.of());
    }

    private static void run(List<String> command, Map<String, String> environment) throws IOException, InterruptedException {
        ProcessBuilder builder = new ProcessBuilder(new ArrayList<>(command)).redirectErrorStream(true);
        builder.environment().putAll(environment);
        Process process = builder.start();
        String output = new String(process.getInputStream().readAllBytes());
        if (process.waitFor() != 0) {
            throw new IllegalStateException(String.join(" ", command) + " failed:\n" + output);
        }
    }
}

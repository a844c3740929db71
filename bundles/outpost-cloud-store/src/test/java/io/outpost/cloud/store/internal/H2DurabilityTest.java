package io.outpost.cloud.store.internal;

import static org.assertj.core.api.Assertions.assertThat;

import io.outpost.cloud.TelemetryMessage;
import io.outpost.cloud.TwinId;
import io.outpost.common.SystemClock;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.lang.reflect.Proxy;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The cloud's default H2 store answers a write only once it is on disk: a child JVM ({@link WriteUntilKilled})
 * writes telemetry and twin patches to the store with the component's default settings and reports each one as
 * soon as it returned; the child is killed with SIGKILL while it writes, the store is reopened here from the same
 * files, and every reported write must be there.
 */
@Tag("integration")
class H2DurabilityTest {

    private static final int PER_THREAD = 100_000;
    private static final int KILL_AFTER = 1_000;

    @TempDir
    Path dir;

    /** The component's settings with its defaults (the shipped JDBC URL), telemetry kept beyond this test's writes. */
    static StoreSettings settings(Path karafData) {
        Map<String, Object> values = Map.of("telemetryMaxPerDevice", 10_000_000);
        CloudStoreComponent.Config config = (CloudStoreComponent.Config) Proxy.newProxyInstance(
                H2DurabilityTest.class.getClassLoader(), new Class<?>[] {CloudStoreComponent.Config.class},
                (proxy, method, args) -> values.containsKey(method.getName()) ? values.get(method.getName())
                        : method.getDefaultValue());
        return CloudStoreComponent.settings(config, karafData.toString(), Map.of());
    }

    @Test
    void givenStoreKilledRightAfterAnsweringWrites_whenReopened_thenEveryAnsweredWriteIsThere() throws Exception {
        Set<String> telemetry = ConcurrentHashMap.newKeySet();
        Map<String, Long> twinVersions = new ConcurrentHashMap<>();
        CountDownLatch enough = new CountDownLatch(1);
        Process child = startChild();
        Thread reader = readAnswers(child, telemetry, twinVersions, enough);

        assertThat(enough.await(3, TimeUnit.MINUTES)).as("%d writes answered", KILL_AFTER).isTrue();
        assertThat(child.isAlive()).as("the child is still writing (see %s)", dir.resolve("child.err")).isTrue();
        child.destroyForcibly();
        assertThat(child.waitFor()).isEqualTo(137);
        reader.join();

        Set<String> stored = new HashSet<>();
        Map<String, Long> storedVersions = new ConcurrentHashMap<>();
        try (CloudStore store = CloudStore.open(settings(dir), SystemClock.INSTANCE)) {
            for (int t = 0; t < WriteUntilKilled.THREADS; t++) {
                String device = WriteUntilKilled.device(t);
                store.telemetry().recent(device, 10_000_000).stream().map(TelemetryMessage::properties)
                        .forEach(p -> stored.add(p.get("$.mid")));
                store.twins().get(TwinId.device(device))
                        .ifPresent(twin -> storedVersions.put(device, twin.desiredVersion()));
            }
        }
        Set<String> lost = new HashSet<>(telemetry);
        lost.removeAll(stored);
        System.out.printf("kill-9 run: telemetryAnswered=%d telemetryStored=%d lost=%d twinsAnswered=%s "
                        + "twinsStored=%s%n",
                telemetry.size(), stored.size(), lost.size(), twinVersions, storedVersions);

        assertThat(lost).as("telemetry answered but not in the reopened store").isEmpty();
        twinVersions.forEach((device, answered) -> assertThat(storedVersions.getOrDefault(device, 0L))
                .as("desired version of %s's twin", device).isGreaterThanOrEqualTo(answered));
    }

    @Test
    void givenH2Urls_whenPooled_thenOnDiskOnesAreMadeDurableAndAWriteDelayInTheUrlIsKept() throws Exception {
        assertThat(settings(dir).jdbcUrl()).isEqualTo("jdbc:h2:file:" + dir + "/outpost/cloud/registry");
        assertThat(H2Durability.applies(settings(dir).jdbcUrl())).isTrue();
        assertThat(H2Durability.applies("jdbc:h2:tcp://db/outpost")).isTrue();
        assertThat(H2Durability.applies("jdbc:h2:mem:test")).isFalse();
        assertThat(H2Durability.applies("jdbc:postgresql://db/outpost")).isFalse();
        assertThat(H2Durability.urlSetsWriteDelay("jdbc:h2:file:/d/r;MODE=PostgreSQL")).isFalse();
        assertThat(H2Durability.urlSetsWriteDelay("jdbc:h2:file:/d/r;write_delay=500")).isTrue();

        try (PooledConnections pool = new PooledConnections("jdbc:h2:file:" + dir.resolve("chosen")
                + ";WRITE_DELAY=300", "", "", PoolSettings.withIdle(1))) {
            assertThat(writeDelay(pool)).isEqualTo("300");
        }
    }

    private static String writeDelay(PooledConnections pool) throws SQLException {
        try (Connection c = pool.borrow(); Statement s = c.createStatement();
                ResultSet r = s.executeQuery("SELECT SETTING_VALUE FROM INFORMATION_SCHEMA.SETTINGS "
                        + "WHERE SETTING_NAME = 'WRITE_DELAY'")) {
            assertThat(r.next()).isTrue();
            return r.getString(1);
        }
    }

    @Test
    void givenDefaultUrl_whenPooledConnectionsCommit_thenTheDatabaseHasNoWriteDelayAndCommitsReturn()
            throws Exception {
        try (PooledConnections pool = new PooledConnections(settings(dir).jdbcUrl(), "", "",
                PoolSettings.withIdle(2))) {
            try (Connection c = pool.borrow(); Statement s = c.createStatement()) {
                s.execute("CREATE TABLE t (n INT)");
            }
            assertThat(writeDelay(pool)).isEqualTo("0");
            Thread[] writers = new Thread[4];
            for (int w = 0; w < writers.length; w++) {
                writers[w] = new Thread(() -> {
                    for (int i = 0; i < 50; i++) {
                        try (Connection c = pool.borrow(); Statement s = c.createStatement()) {
                            c.setAutoCommit(false);
                            s.execute("INSERT INTO t VALUES (" + i + ")");
                            c.commit();
                        } catch (SQLException e) {
                            throw new IllegalStateException(e);
                        }
                    }
                });
                writers[w].start();
            }
            for (Thread writer : writers) {
                writer.join();
            }
            try (Connection c = pool.borrow(); Statement s = c.createStatement();
                    ResultSet r = s.executeQuery("SELECT COUNT(*) FROM t")) {
                r.next();
                assertThat(r.getInt(1)).isEqualTo(200);
            }
        }
    }

    @Test
    void givenUserWithoutAdminRights_whenItCommits_thenTheWriteStillSucceeds() throws Exception {
        String url = "jdbc:h2:file:" + dir.resolve("other");
        try (PooledConnections admin = new PooledConnections(url, "sa", "sa-secret", PoolSettings.withIdle(1));
                Connection c = admin.borrow(); Statement s = c.createStatement()) {
            s.execute("CREATE TABLE t (n INT)");
            s.execute("CREATE USER app PASSWORD 'app-secret'");
            s.execute("GRANT SELECT, INSERT ON t TO app");
        }
        try (PooledConnections pool = new PooledConnections(url, "app", "app-secret", PoolSettings.withIdle(1))) {
            for (int i = 0; i < 2; i++) {
                try (Connection c = pool.borrow(); Statement s = c.createStatement()) {
                    c.setAutoCommit(false);
                    s.execute("INSERT INTO t VALUES (" + i + ")");
                    c.commit();
                }
            }
            try (Connection c = pool.borrow(); Statement s = c.createStatement();
                    ResultSet r = s.executeQuery("SELECT COUNT(*) FROM t")) {
                r.next();
                assertThat(r.getInt(1)).isEqualTo(2);
            }
        }
    }

    private Process startChild() throws IOException {
        String classPath = System.getProperty("surefire.test.class.path", System.getProperty("java.class.path"));
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        Files.createDirectories(dir);
        return new ProcessBuilder(java, "-Xmx256m", "-cp", classPath, WriteUntilKilled.class.getName(),
                dir.toString(), Integer.toString(PER_THREAD))
                .redirectError(dir.resolve("child.err").toFile())
                .start();
    }

    /** Reads the child's answers; {@code enough} opens at {@value #KILL_AFTER} telemetry writes or the output's end. */
    private static Thread readAnswers(Process child, Set<String> telemetry, Map<String, Long> twinVersions,
            CountDownLatch enough) {
        Thread reader = new Thread(() -> {
            try (BufferedReader in = new BufferedReader(
                    new InputStreamReader(child.getInputStream(), StandardCharsets.UTF_8))) {
                String line;
                while ((line = in.readLine()) != null) {
                    if (line.startsWith("TELEMETRY ")) {
                        telemetry.add(line.substring(10));
                        if (telemetry.size() >= KILL_AFTER) {
                            enough.countDown();
                        }
                    } else if (line.startsWith("TWIN ")) {
                        String[] parts = line.split(" ");
                        twinVersions.merge(parts[1], Long.parseLong(parts[2]), Math::max);
                    }
                }
            } catch (IOException e) {
                throw new IllegalStateException("reading the child's output failed", e);
            } finally {
                enough.countDown();
            }
        }, "child-answers");
        reader.start();
        return reader;
    }
}

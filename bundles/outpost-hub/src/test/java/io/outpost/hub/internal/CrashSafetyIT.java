package io.outpost.hub.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.outpost.common.SystemClock;
import io.outpost.hub.FullPolicy;
import io.outpost.hub.StoredMessage;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * At-least-once across a kill -9: a child JVM enqueues 10,000 messages and reports each one as soon as the
 * store acknowledged it; the child is killed with SIGKILL in the middle of the run, the store is reopened
 * here from the same directory, and every acknowledged message must be delivered.
 */
class CrashSafetyIT {

    private static final int TOTAL = 10_000;
    private static final int KILL_AFTER_ACKS = 2_500;

    @TempDir
    Path dir;

    @Test
    void givenChildKilledMidRun_whenStoreReopened_thenEveryAcknowledgedMessageIsDelivered() throws Exception {
        Set<String> acknowledged = ConcurrentHashMap.newKeySet();
        Process child = startChild();
        Thread reader = readAcks(child, acknowledged);

        await().atMost(Duration.ofMinutes(3)).pollInterval(Duration.ofMillis(20))
                .until(() -> acknowledged.size() >= KILL_AFTER_ACKS || !child.isAlive());
        child.destroyForcibly();
        assertThat(child.waitFor()).isEqualTo(137);
        reader.join();

        Map<String, Integer> deliveries = drainStore();
        int delivered = deliveries.values().stream().mapToInt(Integer::intValue).sum();
        long duplicates = delivered - deliveries.size();
        Set<String> lost = new HashSet<>(acknowledged);
        lost.removeAll(deliveries.keySet());
        System.out.printf("kill-9 run: acknowledged=%d delivered=%d distinct=%d duplicates=%d "
                        + "storedButUnacknowledged=%d lost=%d%n", acknowledged.size(), delivered, deliveries.size(),
                duplicates, deliveries.size() - (acknowledged.size() - lost.size()), lost.size());

        assertThat(acknowledged.size()).isBetween(KILL_AFTER_ACKS, TOTAL - 1);
        assertThat(lost).isEmpty();
    }

    private Process startChild() throws IOException {
        String classPath = System.getProperty("surefire.test.class.path", System.getProperty("java.class.path"));
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        return new ProcessBuilder(java, "-Xmx256m", "-cp", classPath, EnqueueUntilKilled.class.getName(),
                dir.resolve("store").toString(), Integer.toString(TOTAL))
                .redirectError(dir.resolve("child.err").toFile())
                .start();
    }

    private static Thread readAcks(Process child, Set<String> acknowledged) {
        Thread reader = new Thread(() -> {
            try (BufferedReader in = new BufferedReader(
                    new InputStreamReader(child.getInputStream(), StandardCharsets.UTF_8))) {
                String line;
                while ((line = in.readLine()) != null) {
                    if (line.startsWith("ACK ")) {
                        acknowledged.add(line.substring(4));
                    }
                }
            } catch (IOException e) {
                throw new IllegalStateException("reading the child's output failed", e);
            }
        }, "child-acks");
        reader.start();
        return reader;
    }

    private Map<String, Integer> drainStore() throws InterruptedException {
        StoreSettings settings = new StoreSettings(dir.resolve("store"), 1L << 30, FullPolicy.REJECT,
                Duration.ofHours(2));
        Map<String, Integer> deliveries = new HashMap<>();
        try (ArtemisMessageStore store = ArtemisMessageStore.open(settings, SystemClock.INSTANCE)) {
            List<StoredMessage> batch;
            while (!(batch = store.poll(EnqueueUntilKilled.ENDPOINT, 500, Duration.ZERO)).isEmpty()) {
                batch.forEach(m -> deliveries.merge(m.id(), 1, Integer::sum));
                store.ack(EnqueueUntilKilled.ENDPOINT, batch.stream().map(StoredMessage::id).toList());
            }
            assertThat(store.stats(EnqueueUntilKilled.ENDPOINT).length()).isZero();
        }
        return deliveries;
    }
}

package io.outpost.itests;

import static org.awaitility.Awaitility.await;
import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertTrue;

import io.outpost.security.SasToken;
import io.outpost.testing.ModuleCredentials;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.eclipse.paho.client.mqttv3.IMqttActionListener;
import org.eclipse.paho.client.mqttv3.IMqttToken;
import org.eclipse.paho.client.mqttv3.MqttAsyncClient;
import org.eclipse.paho.client.mqttv3.MqttClient;
import org.eclipse.paho.client.mqttv3.MqttConnectOptions;
import org.eclipse.paho.client.mqttv3.MqttMessage;
import org.eclipse.paho.client.mqttv3.persist.MemoryPersistence;
import org.junit.After;
import org.junit.Test;

/**
 * Crash safety through the hub's MQTT listener: a leaf device (Paho) publishes at a steady rate, 16 in flight,
 * through the installed runtime's listener and a route to a module's input; the runtime is killed with SIGKILL in
 * the middle of the run and started again; the module (its credentials signed by the workload API, as a module's
 * own) then connects and drains its input. Every sequence number the hub acknowledged (PUBACK) must arrive; the
 * counts of duplicates and of messages stored but never acknowledged are printed.
 */
public class HubCrashSafetyE2EIT {

    private static final String RUN = UUID.randomUUID().toString().substring(0, 8);
    private static final String DEVICE = "crash-" + RUN;
    private static final String LEAF = "crash-leaf-" + RUN;
    private static final String IMAGE = "outpost/base-busybox:1";
    private static final int RATE_PER_SECOND = 250;
    private static final int KILL_AFTER_ACKS = 1_500;
    private static final Duration LONG = Duration.ofMinutes(4);
    private static final Pattern SEQUENCE = Pattern.compile("^seq=(\\d+);");

    private InstalledAssembly outpost;
    private PrivateDockerEngine engine;

    @After
    public void stopAndClean() {
        if (outpost != null) {
            outpost.outpost(Duration.ofMinutes(2), "stop");
        }
        if (engine != null) {
            engine.close();
        }
    }

    @Test
    public void givenSteadyPublisher_whenRuntimeKilledAndStartedAgain_thenEveryAcknowledgedMessageIsDelivered()
            throws Exception {
        engine = PrivateDockerEngine.start(IMAGE);
        outpost = InstalledAssembly.install();
        String plainPort = InstalledAssembly.freePort();
        outpost.rewrite("etc/io.outpost.container.docker.cfg", Map.of("dockerHost", engine.host()));
        outpost.rewrite("etc/io.outpost.agent.cfg", Map.of("deviceId", DEVICE, "reconcileIntervalSecs", "2"));
        outpost.rewrite("etc/io.outpost.hub.store.cfg", Map.of("deviceId", DEVICE, "mqttPlainPort", plainPort));
        outpost.outpost(LONG, "start").assertExit(0);
        Path manifest = Files.writeString(outpost.prefix.resolve("crash-deployment.json"), Manifest.of(
                Manifest.member("sink", IMAGE, "always"),
                "{\"leaf-to-sink\": \"FROM /messages/* WHERE NOT IS_DEFINED($connectionModuleId) INTO "
                        + "BrokeredEndpoint(\\\"/modules/sink/inputs/in\\\")\"}"));
        String deployed = outpost.outpost(LONG, "deploy", manifest.toString(), "--timeout", "180").assertExit(0)
                .output();
        assertTrue(deployed, deployed.contains("converged"));
        String added = outpost.outpost(Duration.ofMinutes(1), "shell", "edge:device-add", LEAF).assertExit(0).output();
        Matcher connection = Pattern.compile("HostName=([^;\\s]+);DeviceId=" + Pattern.quote(LEAF)
                + ";SharedAccessKey=([^;\\s]+)").matcher(added);
        assertTrue("a connection string in:\n" + added, connection.find());
        String server = "tcp://127.0.0.1:" + plainPort;

        // the leaf publishes at a steady rate until the runtime dies under it
        Set<Integer> acknowledged = ConcurrentHashMap.newKeySet();
        AtomicInteger sent = new AtomicInteger();
        AtomicLong failures = new AtomicLong();
        MqttAsyncClient leaf = new MqttAsyncClient(server, LEAF, new MemoryPersistence());
        MqttConnectOptions leafOptions = options(connection.group(1) + "/" + LEAF,
                SasToken.create(connection.group(1) + "/devices/" + LEAF, connection.group(2),
                        Instant.now().plus(Duration.ofHours(1))));
        leaf.connect(leafOptions).waitForCompletion(30_000);
        Semaphore window = new Semaphore(16);
        Thread publisher = new Thread(() -> {
            long start = System.nanoTime();
            for (int seq = 0; leaf.isConnected(); seq++) {
                long due = start + seq * 1_000_000_000L / RATE_PER_SECOND;
                long wait = due - System.nanoTime();
                try {
                    if (wait > 0) {
                        TimeUnit.NANOSECONDS.sleep(wait);
                    }
                    if (!window.tryAcquire(5, TimeUnit.SECONDS)) {
                        continue;
                    }
                    int n = seq;
                    MqttMessage message = new MqttMessage(("seq=" + n + ";" + "x".repeat(200))
                            .getBytes(StandardCharsets.UTF_8));
                    message.setQos(1);
                    leaf.publish("devices/" + LEAF + "/messages/events/", message, null, new IMqttActionListener() {
                        @Override
                        public void onSuccess(IMqttToken token) {
                            acknowledged.add(n);
                            window.release();
                        }

                        @Override
                        public void onFailure(IMqttToken token, Throwable e) {
                            failures.incrementAndGet();
                            window.release();
                        }
                    });
                    sent.incrementAndGet();
                } catch (InterruptedException e) {
                    return;
                } catch (Exception e) {
                    failures.incrementAndGet();
                    window.release();
                }
            }
        }, "crash-publisher");
        publisher.start();
        await("acknowledged messages before the kill").atMost(LONG).until(() -> acknowledged.size() >= KILL_AFTER_ACKS);
        outpost.killRuntime();
        publisher.join(60_000);
        leaf.close(true);
        Set<Integer> acknowledgedBeforeKill = Set.copyOf(acknowledged);

        outpost.outpost(LONG, "start").assertExit(0);
        ModuleCredentials sink = ModuleCredentials.fromInspect(
                engine.docker(Duration.ofMinutes(1), "inspect", "--type", "container", "sink").assertExit(0).output());
        assertEquals(DEVICE, sink.deviceId());
        Map<Integer, Integer> received = new ConcurrentHashMap<>();
        MqttClient module = new MqttClient(server, sink.clientId(), new MemoryPersistence());
        await("the hub's listener answers after the restart").atMost(LONG).pollInterval(Duration.ofSeconds(1))
                .ignoreExceptions().until(() -> {
                    module.connect(options(sink.mqttUsername(), sink.sasToken(Duration.ofHours(1))));
                    return true;
                });
        module.subscribe("devices/" + DEVICE + "/modules/sink/inputs/#", 1, (topic, m) -> {
            Matcher seq = SEQUENCE.matcher(new String(m.getPayload(), StandardCharsets.UTF_8));
            if (seq.find()) {
                received.merge(Integer.parseInt(seq.group(1)), 1, Integer::sum);
            }
        });
        await("every acknowledged message delivered to the module").atMost(LONG).pollInterval(Duration.ofSeconds(1))
                .until(() -> received.keySet().containsAll(acknowledgedBeforeKill));
        module.disconnect();
        module.close();

        Set<Integer> lost = new HashSet<>(acknowledgedBeforeKill);
        lost.removeAll(received.keySet());
        long duplicates = received.values().stream().mapToInt(c -> c - 1).sum();
        long storedUnacknowledged = received.keySet().stream().filter(s -> !acknowledgedBeforeKill.contains(s))
                .count();
        System.out.printf("mqtt kill-9 run: sent=%d acknowledged=%d delivered=%d duplicates=%d "
                        + "storedButUnacknowledged=%d publishFailures=%d lost=%d%n", sent.get(),
                acknowledgedBeforeKill.size(), received.size(), duplicates, storedUnacknowledged, failures.get(),
                lost.size());
        assertTrue("acknowledged before the kill: " + acknowledgedBeforeKill.size(),
                acknowledgedBeforeKill.size() >= KILL_AFTER_ACKS);
        assertEquals("acknowledged but lost: " + lost, 0, lost.size());
    }

    private static MqttConnectOptions options(String userName, String password) {
        MqttConnectOptions options = new MqttConnectOptions();
        options.setMqttVersion(MqttConnectOptions.MQTT_VERSION_3_1_1);
        options.setCleanSession(true);
        options.setMaxInflight(16);
        options.setKeepAliveInterval(30);
        options.setUserName(userName.contains("?api-version") ? userName : userName + "/?api-version="
                + ModuleCredentials.MQTT_API_VERSION);
        options.setPassword(password.toCharArray());
        return options;
    }
}

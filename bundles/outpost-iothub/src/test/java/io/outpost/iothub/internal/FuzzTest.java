package io.outpost.iothub.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.outpost.iothub.DialectServer;
import io.outpost.iothub.DialectSettings;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryMXBean;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.eclipse.paho.client.mqttv3.MqttClient;
import org.eclipse.paho.client.mqttv3.MqttConnectOptions;
import org.eclipse.paho.client.mqttv3.MqttMessage;
import org.eclipse.paho.client.mqttv3.persist.MemoryPersistence;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * Our own fuzzer: 10,000 random and mutated MQTT packets, before and after a valid CONNECT, against the listener
 * while a well-behaved Paho client keeps publishing and being acknowledged. The server must keep serving it
 * during and after, drop every fuzzing connection, and not grow its heap beyond a generous bound.
 */
@Tag("integration")
class FuzzTest {

    private static final int PACKETS = 10_000;
    /** Round trips the well-behaved client must get while the fuzzing goes on. */
    private static final int SERVED_DURING = 10;
    private static final long HEAP_GROWTH_BOUND = 48L * 1024 * 1024;

    private final Random random = new Random(20_260_101L);

    @Test
    void givenTenThousandRandomAndMutatedPackets_whenAWellBehavedClientRoundTrips_thenItIsServedAndMemoryBounded()
            throws Exception {
        TestHost host = new TestHost();
        int port = DialectServerTest.freePort();
        try (DialectServer server = DialectServer.start(DialectSettings.defaults().withPlainPort(port)
                .withConnectTimeout(Duration.ofSeconds(2)), host)) {
            MqttClient good = new MqttClient("tcp://127.0.0.1:" + port, "edge1/good", new MemoryPersistence());
            MqttConnectOptions options = new MqttConnectOptions();
            options.setMqttVersion(MqttConnectOptions.MQTT_VERSION_3_1_1);
            // Paho frees an in-flight slot on its callback thread after publish() has returned: under CPU load a
            // tight loop of synchronous publishes can otherwise hit its default limit of 10
            options.setMaxInflight(1000);
            options.setUserName(TestHost.username("edge1/good"));
            options.setPassword(TestHost.password("edge1/good").toCharArray());
            good.connect(options);
            roundTrip(good, host, 20);
            long before = usedHeapAfterGc();

            AtomicBoolean fuzzing = new AtomicBoolean(true);
            AtomicInteger servedDuring = new AtomicInteger();
            Thread wellBehaved = new Thread(() -> {
                while (fuzzing.get()) {
                    try {
                        roundTrip(good, host, 1);
                        servedDuring.incrementAndGet();
                    } catch (Exception e) {
                        throw new IllegalStateException("the well-behaved client was not served", e);
                    }
                }
            });
            wellBehaved.start();
            int sent = 0;
            int connections = 0;
            // at least PACKETS, and on until the well-behaved client was served a few times meanwhile (at most a
            // minute: a client starved by the fuzzing fails below)
            long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(1);
            while (sent < PACKETS || (servedDuring.get() <= SERVED_DURING && System.nanoTime() < deadline)) {
                sent += fuzzOneConnection(port);
                connections++;
            }
            fuzzing.set(false);
            wellBehaved.join(30_000);

            assertThat(servedDuring.get()).as("round trips during %d fuzzing connections", connections)
                    .isGreaterThan(SERVED_DURING);
            assertThat(good.isConnected()).isTrue();
            roundTrip(good, host, 50);
            await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> assertThat(server.clients())
                    .extracting(c -> c.identity().name()).containsExactly("edge1/good"));
            host.telemetry.clear();
            long after = usedHeapAfterGc();
            System.out.printf("fuzz: packets=%d connections=%d servedDuring=%d heapBefore=%d heapAfter=%d%n", sent,
                    connections, servedDuring.get(), before, after);
            assertThat(after - before).as("heap growth in bytes (before %d, after %d)", before, after)
                    .isLessThan(HEAP_GROWTH_BOUND);
            good.disconnect();
            good.close();
        }
    }

    private static void roundTrip(MqttClient client, TestHost host, int count) throws Exception {
        for (int i = 0; i < count; i++) {
            MqttMessage m = new MqttMessage(("ok" + i).getBytes(StandardCharsets.UTF_8));
            m.setQos(1);
            client.publish("devices/edge1/modules/good/messages/events/%24.on=out", m); // returns on PUBACK
        }
        host.telemetry.removeIf(r -> r.identity().name().equals("edge1/good"));
    }

    /** One connection: maybe a valid CONNECT first, then 1..40 fuzzed packets; returns the packets sent. */
    private int fuzzOneConnection(int port) {
        int packets = 0;
        try (Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress("127.0.0.1", port), 2000);
            socket.setSoLinger(true, 0);
            OutputStream out = socket.getOutputStream();
            if (random.nextBoolean()) {
                String id = "fuzz/m" + random.nextInt(50);
                out.write(connect(id, TestHost.username(id), TestHost.password(id), random.nextBoolean() ? 4 : 5));
            }
            int n = 1 + random.nextInt(40);
            for (int i = 0; i < n; i++) {
                out.write(fuzzed());
                packets++;
            }
            out.flush();
        } catch (IOException e) {
            // the server closed the connection: expected for malformed input
        }
        return Math.max(packets, 1);
    }

    private byte[] fuzzed() {
        byte[] valid = switch (random.nextInt(6)) {
            case 0 -> connect("edge1/x", "hub/edge1/x/?api-version=1", "nope", 4);
            case 1 -> publish("devices/edge1/modules/x/messages/events/%24.on=" + random.nextInt(), random.nextInt(3));
            case 2 -> subscribe(List.of("devices/edge1/modules/x/inputs/#", "#", "$iothub/twin/res/#"));
            case 3 -> new byte[] {(byte) 0xC0, 0};
            case 4 -> publish("$iothub/twin/GET/?$rid=" + random.nextInt(), 1);
            default -> randomBytes(1 + random.nextInt(64));
        };
        switch (random.nextInt(5)) {
            case 0 -> {
                return valid;
            }
            case 1 -> {
                for (int i = 0; i < 1 + random.nextInt(4); i++) {
                    valid[random.nextInt(valid.length)] = (byte) random.nextInt(256);
                }
                return valid;
            }
            case 2 -> {
                byte[] cut = new byte[1 + random.nextInt(valid.length)];
                System.arraycopy(valid, 0, cut, 0, cut.length);
                return cut;
            }
            case 3 -> {
                // a remaining length far beyond the limit, or a malformed variable-length integer
                byte[] huge = {valid[0], (byte) 0xFF, (byte) 0xFF, (byte) 0xFF, (byte) (random.nextBoolean() ? 0x7F : 0xFF)};
                return huge;
            }
            default -> {
                return randomBytes(1 + random.nextInt(256));
            }
        }
    }

    private byte[] randomBytes(int n) {
        byte[] b = new byte[n];
        random.nextBytes(b);
        return b;
    }

    static byte[] connect(String clientId, String user, String password, int level) {
        ByteArrayOutputStream body = new ByteArrayOutputStream();
        writeString(body, "MQTT");
        body.write(level);
        body.write(0xC2); // user name, password, clean session
        body.write(0);
        body.write(30);
        if (level == 5) {
            body.write(0); // no properties
        }
        writeString(body, clientId);
        writeString(body, user);
        writeString(body, password);
        return packet(0x10, body.toByteArray());
    }

    private static byte[] publish(String topic, int qos) {
        ByteArrayOutputStream body = new ByteArrayOutputStream();
        writeString(body, topic);
        if (qos > 0) {
            body.write(0);
            body.write(1);
        }
        body.writeBytes("payload".getBytes(StandardCharsets.UTF_8));
        return packet(0x30 | (qos << 1), body.toByteArray());
    }

    private static byte[] subscribe(List<String> filters) {
        ByteArrayOutputStream body = new ByteArrayOutputStream();
        body.write(0);
        body.write(7);
        for (String f : filters) {
            writeString(body, f);
            body.write(1);
        }
        return packet(0x82, body.toByteArray());
    }

    private static byte[] packet(int header, byte[] body) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.write(header);
        int length = body.length;
        do {
            int digit = length % 128;
            length /= 128;
            out.write(length > 0 ? digit | 0x80 : digit);
        } while (length > 0);
        out.writeBytes(body);
        return out.toByteArray();
    }

    private static void writeString(ByteArrayOutputStream out, String s) {
        byte[] b = s.getBytes(StandardCharsets.UTF_8);
        out.write(b.length >> 8);
        out.write(b.length & 0xff);
        out.writeBytes(b);
    }

    private static long usedHeapAfterGc() throws InterruptedException {
        MemoryMXBean memory = ManagementFactory.getMemoryMXBean();
        for (int i = 0; i < 3; i++) {
            System.gc();
            Thread.sleep(100);
        }
        return memory.getHeapMemoryUsage().getUsed();
    }
}

package io.outpost.hub.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.outpost.common.SystemClock;
import io.outpost.testing.TestCertificates;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The hub's listener component as OSGi activates it, when the MQTT port is taken by another process at start. */
@Tag("integration")
class ListenerRetryTest {

    @TempDir
    Path dir;

    @Test
    void givenTakenMqttPort_whenHubActivates_thenItStartsWithoutListenerAndBindsOnceThePortIsFree() throws Exception {
        ServerSocket squatter = new ServerSocket();
        squatter.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
        int port = squatter.getLocalPort();
        HubConfig config = TestHubConfig.of(Map.of("dataDir", dir.resolve("store").toString(), "mqttTlsPort", port,
                "deviceId", "edge1"));
        MessageStoreComponent store = new MessageStoreComponent(SystemClock.INSTANCE, config,
                TestHubConfig.bundleContext());
        ListenerComponent hub = null;
        try {
            hub = new ListenerComponent(config, new Router(store), new EdgeTwins(dir.resolve("twins")), store,
                    TestCertificates.edgeCa(dir.resolve("security")), new FakeIdentities(), null, SystemClock.INSTANCE);

            assertThat(hub.list()).isEmpty();
            squatter.close();
            await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(200)).until(() -> accepts(port));
        } finally {
            squatter.close();
            if (hub != null) {
                hub.deactivate();
            }
            store.deactivate();
        }
    }

    private static boolean accepts(int port) {
        try (Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 500);
            return true;
        } catch (Exception e) {
            return false;
        }
    }
}

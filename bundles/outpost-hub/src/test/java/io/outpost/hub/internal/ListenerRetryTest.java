package io.outpost.hub.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.outpost.common.SystemClock;
import io.outpost.security.internal.TestCertificates;
import java.lang.reflect.Proxy;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.osgi.framework.BundleContext;

/** The hub's component as OSGi activates it, when the MQTT port is taken by another process at start. */
class ListenerRetryTest {

    @TempDir
    Path dir;

    @Test
    void givenTakenMqttPort_whenHubActivates_thenItStartsWithoutListenerAndBindsOnceThePortIsFree() throws Exception {
        ServerSocket squatter = new ServerSocket();
        squatter.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
        int port = squatter.getLocalPort();
        MessageStoreComponent store = new MessageStoreComponent(SystemClock.INSTANCE,
                config(Map.of("dataDir", dir.resolve("store").toString(), "mqttTlsPort", port, "deviceId", "edge1")),
                bundleContext());
        IotHubComponent hub = null;
        try {
            hub = new IotHubComponent(store, new Router(store), TestCertificates.edgeCa(dir.resolve("security")),
                    new FakeIdentities(), null, SystemClock.INSTANCE);

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

    /** The store's settings: the given values, every other one its declared default. */
    private static MessageStoreComponent.Config config(Map<String, Object> values) {
        return (MessageStoreComponent.Config) Proxy.newProxyInstance(ListenerRetryTest.class.getClassLoader(),
                new Class<?>[] {MessageStoreComponent.Config.class}, (proxy, method, args) -> {
                    if (method.getName().equals("annotationType")) {
                        return MessageStoreComponent.Config.class;
                    }
                    return values.containsKey(method.getName()) ? values.get(method.getName()) : method.getDefaultValue();
                });
    }

    /** Outside OSGi there are no framework properties ({@code karaf.data} is not needed: dataDir is set). */
    private static BundleContext bundleContext() {
        return (BundleContext) Proxy.newProxyInstance(ListenerRetryTest.class.getClassLoader(),
                new Class<?>[] {BundleContext.class}, (proxy, method, args) -> null);
    }
}

package io.outpost.iothub.testing;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;

/**
 * The gateway address of tests with Azure's device SDK. The SDK always connects MQTT to port 8883 of its gateway
 * ({@code GatewayHostName}, {@code IOTEDGE_GATEWAYHOSTNAME}), so a test's hub listens on 127.0.0.1:8883, which
 * must be free: tests never reach beyond 127.0.0.1. Shared by the hub's, the samples' and the distribution's tests
 * through this module's test-jar.
 */
public final class AzureSdkGateway {

    /** The only MQTT port Azure's SDK dials. */
    public static final int SDK_MQTT_PORT = 8883;

    private AzureSdkGateway() {
    }

    /**
     * 127.0.0.1, once its port 8883 is known to be free.
     *
     * @throws IOException saying which port is taken and what to do, when another process holds it
     */
    public static String loopbackWithFreeMqttPort() throws IOException {
        try (ServerSocket probe = new ServerSocket(SDK_MQTT_PORT, 1, InetAddress.getByName("127.0.0.1"))) {
            return "127.0.0.1";
        } catch (IOException taken) {
            throw new IOException("127.0.0.1:" + SDK_MQTT_PORT + " is taken (another hub, e.g. the quickstart's?): "
                    + "Azure's SDK only connects to that port, stop that process and run again", taken);
        }
    }
}

package io.outpost.hub.internal;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;

/**
 * The gateway address of tests with Azure's device SDK: it always connects MQTT to port 8883 of
 * {@code GatewayHostName}, so a test hub listens on 127.0.0.1:8883, which must be free (tests never reach beyond
 * 127.0.0.1).
 */
final class LoopbackGateway {

    static final int SDK_MQTT_PORT = 8883;

    private LoopbackGateway() {
    }

    static String withFreeMqttPort() throws IOException {
        try (ServerSocket probe = new ServerSocket(SDK_MQTT_PORT, 1, InetAddress.getByName("127.0.0.1"))) {
            return "127.0.0.1";
        } catch (IOException taken) {
            throw new IOException("127.0.0.1:" + SDK_MQTT_PORT + " is taken (another hub, e.g. the quickstart's?): "
                    + "Azure's SDK only connects to that port, stop that process and run again", taken);
        }
    }
}

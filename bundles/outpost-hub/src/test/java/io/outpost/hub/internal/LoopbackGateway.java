package io.outpost.hub.internal;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.util.concurrent.ThreadLocalRandom;

/**
 * A loopback address (in 127.0.0.0/8, not 127.0.0.1) whose port 8883 is free. Azure's device SDK always connects MQTT
 * to port 8883 of {@code GatewayHostName}; on a shared machine 127.0.0.1:8883 may be another hub's, so a test hub
 * listens on 8883 of an address of its own and the SDK is given that address as its gateway.
 */
final class LoopbackGateway {

    static final int SDK_MQTT_PORT = 8883;

    private LoopbackGateway() {
    }

    static String withFreeMqttPort() throws IOException {
        for (int attempt = 0; attempt < 50; attempt++) {
            ThreadLocalRandom random = ThreadLocalRandom.current();
            String address = "127.0." + random.nextInt(1, 255) + "." + random.nextInt(2, 255);
            try (ServerSocket probe = new ServerSocket(SDK_MQTT_PORT, 1, InetAddress.getByName(address))) {
                return address;
            } catch (IOException taken) {
                // another test's gateway: try another address
            }
        }
        throw new IOException("no loopback address with a free port " + SDK_MQTT_PORT + " in 50 tries");
    }
}

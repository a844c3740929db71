package io.outpost.iothub;

import io.outpost.iothub.internal.Server;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletionStage;

/**
 * Azure IoT Hub's MQTT dialect over MQTT 3.1.1 and 5, QoS 0 and 1, for a {@link DialectHost}. Clients connect
 * as {@code <device>} or {@code <device>/<module>}; the host authenticates them; the server enforces that a client
 * publishes and subscribes only on its own topics, answers twin requests through the host and delivers what the
 * host sends it with PUBACK-based acknowledgement. Thread-safe; {@link #close()} stops the listeners and closes
 * every connection.
 */
public final class DialectServer implements AutoCloseable {

    private final Server server;

    private DialectServer(Server server) {
        this.server = server;
    }

    /** Binds the configured listeners and starts serving. */
    public static DialectServer start(DialectSettings settings, DialectHost host) throws Exception {
        return start(settings, host, Clock.systemUTC());
    }

    /** As {@link #start(DialectSettings, DialectHost)}, with the clock that credential expiry is judged by. */
    public static DialectServer start(DialectSettings settings, DialectHost host, Clock clock) throws Exception {
        return new DialectServer(Server.start(settings, host, clock));
    }

    /** The TLS listener's bound port; 0 when there is none. */
    public int tlsPort() {
        return server.tlsPort();
    }

    /** The plain-text listener's bound port (on 127.0.0.1); 0 when there is none. */
    public int plainPort() {
        return server.plainPort();
    }

    /**
     * Sends a message to a module's input ({@code devices/<d>/modules/<m>/inputs/<input>/<bag>}) at the QoS the
     * module subscribed with (at most 1). Completes when the module acknowledged it with PUBACK (QoS 1) or when it
     * was written (QoS 0); fails at once with a {@link DialectException} {@link DialectException#NOT_CONNECTED}
     * when the module is not connected or not subscribed to that input, {@link DialectException#BUSY} when too
     * many deliveries await its PUBACK, later with {@link DialectException#TIMEOUT} or on disconnection.
     */
    public CompletionStage<Void> deliverInput(ClientIdentity module, String input, IotMessage message) {
        return server.deliverInput(module, input, message);
    }

    /** A cloud-to-device message ({@code devices/<d>/messages/devicebound/<bag>}); as {@link #deliverInput}. */
    public CompletionStage<Void> deliverC2D(String deviceId, IotMessage message) {
        return server.deliverC2D(deviceId, message);
    }

    /**
     * Pushes a desired-properties patch (JSON object text that carries {@code "$version"}) on {@code
     * $iothub/twin/PATCH/properties/desired/?$version=<version>}, QoS 0. Fails with {@link
     * DialectException#NOT_CONNECTED} when the client is not connected or not subscribed to desired updates (it
     * reads the whole twin when it subscribes, as Azure's SDKs do).
     */
    public CompletionStage<Void> pushDesired(ClientIdentity target, long version, String patchJson) {
        return server.pushDesired(target, version, patchJson);
    }

    /**
     * Calls a direct method: publishes {@code $iothub/methods/POST/<method>/?$rid=<r>} and completes with the
     * client's answer on {@code $iothub/methods/res/<status>/?$rid=<r>}; with status {@link
     * MethodResult#NOT_CONNECTED} when the target is not connected or not subscribed to methods (or disconnects
     * before answering), {@link MethodResult#TIMEOUT} when no answer came within {@code timeout}, {@link
     * MethodResult#BUSY} when too many calls await its answers. Never fails for the target's absence.
     */
    public CompletionStage<MethodResult> invokeMethod(ClientIdentity target, String method, byte[] payload,
            Duration timeout) {
        return server.invokeMethod(target, method, payload, timeout);
    }

    /** The authenticated connections now, by identity name. */
    public List<ConnectedClient> clients() {
        return server.clients();
    }

    /** Closes the connection of an identity (e.g. when it was removed); whether one was connected. */
    public boolean disconnect(ClientIdentity identity) {
        return server.disconnect(identity);
    }

    /** Asks for the server certificate again; new TLS connections use it if it changed. */
    public void reloadCertificate() throws Exception {
        server.reloadCertificate();
    }

    @Override
    public void close() {
        server.close();
    }
}

package io.outpost.iothub;

import java.util.Optional;
import java.util.concurrent.CompletionStage;
import org.osgi.annotation.versioning.ConsumerType;

/**
 * What a {@link DialectServer} asks of the system it serves (the edge hub, the cloud's device endpoint). The
 * server calls these methods on its network threads: they return quickly and do slow work (disk, database)
 * elsewhere, completing the stage when done. A stage failed with a {@link DialectException} answers with that
 * exception's status where the protocol has one; any other failure answers 500.
 */
@ConsumerType
public interface DialectHost {

    /**
     * Who the connecting client is, or empty to refuse it (CONNACK "not authorized"). The host checks the
     * credential (SAS token or client certificate), that the client id is the identity's and that the token is
     * for that identity's resource, and logs its refusals (never the password).
     */
    CompletionStage<Optional<Authenticated>> authenticate(ConnectRequest request);

    /**
     * Telemetry the client published on its own {@code .../messages/events/<bag>} topic. The server answers a
     * QoS 1 PUBLISH with PUBACK only once the stage completes, so the host completes it once the message is
     * durable. A failed stage closes an MQTT 3.1.1 connection (3.1.1 cannot refuse a PUBLISH) and answers an MQTT
     * 5 PUBACK with reason 0x80 (unspecified error) or 0x97 (quota exceeded) for status 429/507.
     */
    CompletionStage<Void> telemetry(ClientIdentity identity, IotMessage message);

    /**
     * The client's twin as IoT Hub's GET answer: {@code {"desired":{...,"$version":n},"reported":{...,
     * "$version":m}}} (JSON text).
     */
    CompletionStage<String> getTwin(ClientIdentity identity);

    /**
     * Applies a reported-properties patch (JSON object text; {@code null} values remove properties) and returns
     * the new version of the reported properties.
     */
    CompletionStage<Long> patchReported(ClientIdentity identity, String patchJson);

    /** A client was accepted. Called once per connection, before it may publish. */
    default void connected(ConnectedClient client) {
    }

    /** A connection of this identity ended (closed by either side, or taken over by a new one). */
    default void disconnected(ConnectedClient client) {
    }

    /**
     * The client subscribed to a topic filter it is allowed (e.g. {@code devices/d/modules/m/inputs/#}); a host
     * may then retry deliveries it held back.
     */
    default void subscribed(ClientIdentity identity, String topicFilter) {
    }
}

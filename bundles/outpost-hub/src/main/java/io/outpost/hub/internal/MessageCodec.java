package io.outpost.hub.internal;

import io.outpost.hub.Priorities;
import io.outpost.hub.StoredMessage;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import org.apache.activemq.artemis.api.core.ActiveMQBuffer;
import org.apache.activemq.artemis.api.core.Message;
import org.apache.activemq.artemis.api.core.SimpleString;
import org.apache.activemq.artemis.api.core.client.ClientMessage;

/**
 * How a {@link StoredMessage} is written into and read from an Artemis core message. Outpost's own fields
 * are properties named {@code outpost_*} (plain identifiers, so broker filters can use them); IoT Hub system
 * properties are prefixed {@code sys:} and application properties {@code app:}. The Artemis priority is
 * Azure's turned around: Azure 0 (highest) is Artemis 9.
 */
final class MessageCodec {

    static final String ID = "outpost_id";
    static final String PRIORITY = "outpost_priority";
    static final String ENQUEUED_AT = "outpost_enqueuedAt";
    static final String EXPIRES_AT = "outpost_expiresAt";
    static final String SIZE = "outpost_size";
    static final String REASON = "outpost_reason";
    static final String DEAD_LETTERED_AT = "outpost_deadLetteredAt";
    static final SimpleString EXPIRES_AT_KEY = SimpleString.of(EXPIRES_AT);
    static final SimpleString ENQUEUED_AT_KEY = SimpleString.of(ENQUEUED_AT);
    static final SimpleString SIZE_KEY = SimpleString.of(SIZE);
    private static final SimpleString ID_KEY = SimpleString.of(ID);
    private static final SimpleString PRIORITY_KEY = SimpleString.of(PRIORITY);
    private static final String SYSTEM_PREFIX = "sys:";
    private static final String APPLICATION_PREFIX = "app:";

    private MessageCodec() {
    }

    /** Artemis priority (9 highest) of an Azure priority (0 highest). */
    static byte artemisPriority(int azurePriority) {
        return (byte) (Priorities.LOWEST - Priorities.check(azurePriority));
    }

    /** Writes every field of {@code m} into a fresh message created by a session. */
    static ClientMessage write(StoredMessage m, ClientMessage target) {
        target.setPriority(artemisPriority(m.priority()));
        target.putStringProperty(ID, m.id());
        target.putIntProperty(PRIORITY, m.priority());
        target.putLongProperty(ENQUEUED_AT, m.enqueuedAt().toEpochMilli());
        target.putLongProperty(EXPIRES_AT, m.expiresAt().toEpochMilli());
        target.putLongProperty(SIZE, m.sizeBytes());
        m.systemProperties().forEach((k, v) -> target.putStringProperty(SYSTEM_PREFIX + k, v));
        m.properties().forEach((k, v) -> target.putStringProperty(APPLICATION_PREFIX + k, v));
        target.getBodyBuffer().writeBytes(m.body());
        return target;
    }

    /** Reads a message written by {@link #write}. */
    static StoredMessage read(ClientMessage source, String endpoint) {
        Map<String, String> system = new HashMap<>();
        Map<String, String> application = new HashMap<>();
        for (SimpleString name : source.getPropertyNames()) {
            String key = name.toString();
            if (key.startsWith(SYSTEM_PREFIX)) {
                system.put(key.substring(SYSTEM_PREFIX.length()), source.getStringProperty(name));
            } else if (key.startsWith(APPLICATION_PREFIX)) {
                application.put(key.substring(APPLICATION_PREFIX.length()), source.getStringProperty(name));
            }
        }
        ActiveMQBuffer buffer = source.getReadOnlyBodyBuffer();
        byte[] body = new byte[buffer.readableBytes()];
        buffer.readBytes(body);
        return new StoredMessage(source.getStringProperty(ID_KEY), endpoint, source.getIntProperty(PRIORITY_KEY),
                Instant.ofEpochMilli(source.getLongProperty(ENQUEUED_AT_KEY)),
                Instant.ofEpochMilli(source.getLongProperty(EXPIRES_AT_KEY)), system, application, body);
    }

    /** The quota size recorded on a stored message; 0 for a message the store did not write. */
    static long size(Message message) {
        Object value = message.getObjectProperty(SIZE_KEY);
        return value instanceof Number n ? n.longValue() : 0L;
    }

    /** The expiry recorded on a stored message, in epoch milliseconds; {@link Long#MAX_VALUE} if none. */
    static long expiresAtMillis(Message message) {
        Object value = message.getObjectProperty(EXPIRES_AT_KEY);
        return value instanceof Number n ? n.longValue() : Long.MAX_VALUE;
    }

    /** The enqueue time recorded on a stored message, in epoch milliseconds; {@link Long#MAX_VALUE} if none. */
    static long enqueuedAtMillis(Message message) {
        Object value = message.getObjectProperty(ENQUEUED_AT_KEY);
        return value instanceof Number n ? n.longValue() : Long.MAX_VALUE;
    }
}

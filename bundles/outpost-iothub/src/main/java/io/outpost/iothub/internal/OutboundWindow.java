package io.outpost.iothub.internal;

import io.netty.channel.Channel;
import io.netty.handler.codec.mqtt.MqttQoS;
import io.netty.util.concurrent.ScheduledFuture;
import io.outpost.iothub.ClientIdentity;
import io.outpost.iothub.DialectException;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * The QoS 1 deliveries to one client. At most the client's window (its Receive Maximum, at most
 * {@code maxInflightOut}) await its PUBACK, each under a packet id of its own that is free again once acknowledged;
 * up to {@code maxInflightOut} more wait for room and are sent in the order they came as PUBACKs arrive. A delivery
 * completes with the client's PUBACK, fails when the client refuses it (MQTT 5 reason code 0x80 or above), when no
 * PUBACK comes within the delivery timeout, or when the connection closes; one more than fits is refused as busy.
 * Runs on the channel's event loop.
 */
final class OutboundWindow {

    private record Pending(CompletableFuture<Void> future, ScheduledFuture<?> timeout) {
    }

    /** A QoS 1 delivery waiting for room in the client's window. */
    private record Waiting(String topic, byte[] body, CompletableFuture<Void> result) {
    }

    private final Channel channel;
    private final ClientIdentity identity;
    private final int window;
    private final int maxWaiting;
    private final Duration deliveryTimeout;
    private final Map<Integer, Pending> outbound = new HashMap<>();
    private final ArrayDeque<Waiting> waiting = new ArrayDeque<>();
    private int nextPacketId = 1;
    private boolean closed;

    /**
     * @param receiveMaximum the client's Receive Maximum (65,535 when it named none)
     * @param maxInflightOut the server's limit on deliveries awaiting PUBACK, and on those waiting for room
     */
    OutboundWindow(Channel channel, ClientIdentity identity, int receiveMaximum, int maxInflightOut,
            Duration deliveryTimeout) {
        this.channel = channel;
        this.identity = identity;
        this.window = Math.min(maxInflightOut, receiveMaximum);
        this.maxWaiting = maxInflightOut;
        this.deliveryTimeout = deliveryTimeout;
    }

    /** How many QoS 1 deliveries may await the client's PUBACK: its Receive Maximum, at most maxInflightOut. */
    int window() {
        return window;
    }

    int awaitingAck() {
        return outbound.size();
    }

    int waiting() {
        return waiting.size();
    }

    /** Sends a QoS 1 delivery now if the window has room, else queues it, else refuses it as busy. */
    void send(String topic, byte[] body, CompletableFuture<Void> result) {
        if (outbound.size() < window) {
            publish(topic, body, result);
        } else if (waiting.size() < maxWaiting) {
            waiting.add(new Waiting(topic, body, result));
        } else {
            result.completeExceptionally(new DialectException(DialectException.BUSY, identity + " has "
                    + outbound.size() + " deliveries awaiting PUBACK and " + waiting.size() + " waiting"));
        }
    }

    /** The client's PUBACK for a packet id, with its MQTT 5 reason code (0 for MQTT 3.1.1). */
    void acknowledged(int packetId, byte reason) {
        Pending pending = outbound.remove(packetId);
        if (pending == null) {
            return;
        }
        cancel(pending.timeout());
        if ((reason & 0xff) >= 0x80) {
            pending.future().completeExceptionally(new DialectException(DialectException.REJECTED,
                    identity + " refused the message with reason 0x" + Integer.toHexString(reason & 0xff)));
        } else {
            pending.future().complete(null);
        }
        publishWaiting();
    }

    /** Fails every delivery awaiting PUBACK or room: the connection closed. */
    void close() {
        closed = true;
        for (Pending p : outbound.values()) {
            cancel(p.timeout());
            p.future().completeExceptionally(new DialectException(DialectException.NOT_CONNECTED,
                    identity + " disconnected before acknowledging"));
        }
        outbound.clear();
        for (Waiting w : waiting) {
            w.result().completeExceptionally(new DialectException(DialectException.NOT_CONNECTED,
                    identity + " disconnected before the message was sent"));
        }
        waiting.clear();
    }

    private void publish(String topic, byte[] body, CompletableFuture<Void> result) {
        int packetId = nextPacketId();
        ScheduledFuture<?> timeout = channel.eventLoop().schedule(() -> {
            if (outbound.remove(packetId) != null) {
                result.completeExceptionally(new DialectException(DialectException.TIMEOUT,
                        identity + " did not acknowledge within " + deliveryTimeout));
                publishWaiting();
            }
        }, deliveryTimeout.toMillis(), TimeUnit.MILLISECONDS);
        outbound.put(packetId, new Pending(result, timeout));
        channel.writeAndFlush(Packets.publish(topic, MqttQoS.AT_LEAST_ONCE, packetId, body)).addListener(w -> {
            if (!w.isSuccess() && outbound.remove(packetId) != null) {
                cancel(timeout);
                result.completeExceptionally(new DialectException(DialectException.NOT_CONNECTED,
                        identity + " is not connected"));
            }
        });
    }

    /** Publishes waiting deliveries, in the order they came, while the client's window has room. */
    private void publishWaiting() {
        while (!closed && !waiting.isEmpty() && outbound.size() < window) {
            Waiting w = waiting.poll();
            publish(w.topic(), w.body(), w.result());
        }
    }

    private int nextPacketId() {
        for (int i = 0; i < 65_535; i++) {
            int id = nextPacketId;
            nextPacketId = nextPacketId == 65_535 ? 1 : nextPacketId + 1;
            if (!outbound.containsKey(id)) {
                return id;
            }
        }
        throw new IllegalStateException("no free packet id");
    }

    private static void cancel(ScheduledFuture<?> f) {
        f.cancel(false);
    }
}

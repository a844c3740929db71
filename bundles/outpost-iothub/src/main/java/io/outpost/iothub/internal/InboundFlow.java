package io.outpost.iothub.internal;

import io.netty.channel.Channel;
import io.netty.handler.codec.mqtt.MqttMessageBuilders;
import java.util.ArrayDeque;

/**
 * The PUBLISHes of one client being processed, in the order they arrived. Each is answered (its PUBACK, and a
 * response it may carry) only once it and every earlier one are finished, so PUBACKs go out in arrival order however
 * the host's completions are ordered. Reading from the client stops while {@code maxCount} PUBLISHes or
 * {@code maxBytes} of their payloads are in processing, and resumes once below both: one client holds a bounded
 * amount of memory however large its messages (a single larger one still goes through alone). Runs on the channel's
 * event loop.
 */
final class InboundFlow {

    /** A PUBLISH from the client being processed; acknowledged in arrival order. */
    static final class Op {
        final int packetId;
        final boolean qos1;
        final int bytes;
        boolean done;
        byte reason;
        boolean failed;
        Runnable then;

        Op(int packetId, boolean qos1, int bytes) {
            this.packetId = packetId;
            this.qos1 = qos1;
            this.bytes = bytes;
        }
    }

    private final Channel channel;
    private final boolean mqtt5;
    private final int maxCount;
    private final long maxBytes;
    private final Runnable notTaken;
    private final ArrayDeque<Op> ops = new ArrayDeque<>();
    /** Payload bytes of the PUBLISHes in {@link #ops}. */
    private long bytes;
    private boolean closed;

    /**
     * @param notTaken closes the connection when the host did not take a PUBLISH of an MQTT 3.1.1 client, which
     *                 has no way to be told (an MQTT 5 client gets a PUBACK with the reason code instead)
     */
    InboundFlow(Channel channel, boolean mqtt5, int maxCount, long maxBytes, Runnable notTaken) {
        this.channel = channel;
        this.mqtt5 = mqtt5;
        this.maxCount = maxCount;
        this.maxBytes = maxBytes;
        this.notTaken = notTaken;
    }

    /** Takes a PUBLISH in; stops reading from the client when it reaches the count or byte limit. */
    Op begin(int packetId, boolean qos1, int bytes) {
        Op op = new Op(packetId, qos1, bytes);
        ops.add(op);
        this.bytes += bytes;
        if (!roomForMore()) {
            channel.config().setAutoRead(false);
        }
        return op;
    }

    /**
     * Marks a PUBLISH finished: with the PUBACK reason code (MQTT 5), whether the host failed to take it, and what
     * to send before its PUBACK (null for nothing); then answers what can be answered.
     */
    void finish(Op op, byte reason, boolean failed, Runnable then) {
        op.done = true;
        op.reason = reason;
        op.failed = failed;
        op.then = then;
        drain();
    }

    /** Forgets every PUBLISH in processing: the connection closed. */
    void close() {
        closed = true;
        ops.clear();
        bytes = 0;
    }

    int inProcessing() {
        return ops.size();
    }

    long bytesInProcessing() {
        return bytes;
    }

    private boolean roomForMore() {
        return ops.size() < maxCount && bytes < maxBytes;
    }

    /** Answers finished PUBLISHes in arrival order, and resumes reading once below the in-flight limit. */
    private void drain() {
        boolean wrote = false;
        while (!closed && !ops.isEmpty() && ops.peek().done) {
            Op op = ops.poll();
            bytes -= op.bytes;
            if (op.then != null) {
                op.then.run();
                wrote = true;
            }
            if (op.failed && !mqtt5) {
                notTaken.run();
                return;
            }
            if (op.qos1) {
                MqttMessageBuilders.PubAckBuilder ack = MqttMessageBuilders.pubAck().packetId(op.packetId);
                if (mqtt5) {
                    ack.reasonCode(op.reason);
                }
                channel.write(ack.build());
                wrote = true;
            }
        }
        if (wrote) {
            channel.flush();
        }
        if (!closed && roomForMore() && !channel.config().isAutoRead()) {
            channel.config().setAutoRead(true);
        }
    }
}

package io.outpost.iothub.internal;

import io.netty.channel.Channel;
import io.netty.handler.codec.mqtt.MqttQoS;
import io.netty.util.concurrent.ScheduledFuture;
import io.outpost.iothub.ClientIdentity;
import io.outpost.iothub.MethodResult;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * The direct method calls to one client awaiting its answer, by request id ({@code $rid}, a counter in hex). A call
 * is published on the client's method topic, which it must be subscribed to; it completes with the client's response,
 * or with an error result when the client does not answer within the call's timeout, has {@code maxPending} calls
 * unanswered already, or disconnects. Runs on the channel's event loop.
 */
final class MethodCalls {

    private record Pending(CompletableFuture<MethodResult> future, ScheduledFuture<?> timeout) {
    }

    private final Channel channel;
    private final ClientIdentity identity;
    private final Subscriptions subscriptions;
    private final int maxPending;
    private final Map<String, Pending> pending = new HashMap<>();
    private long nextRid = 1;

    MethodCalls(Channel channel, ClientIdentity identity, Subscriptions subscriptions, int maxPending) {
        this.channel = channel;
        this.identity = identity;
        this.subscriptions = subscriptions;
        this.maxPending = maxPending;
    }

    int pending() {
        return pending.size();
    }

    /** Publishes a call; {@code result} completes with the client's answer or an error result. */
    void invoke(String method, byte[] payload, Duration timeout, CompletableFuture<MethodResult> result) {
        String rid = Long.toHexString(nextRid++);
        String topic = Topics.METHODS_POST_PREFIX + method + "/?$rid=" + rid;
        if (subscriptions.qos(topic) < 0) {
            result.complete(MethodResult.error(MethodResult.NOT_CONNECTED,
                    identity + " is not subscribed to direct methods"));
            return;
        }
        if (pending.size() >= maxPending) {
            result.complete(MethodResult.error(MethodResult.BUSY,
                    identity + " has " + pending.size() + " method calls waiting for an answer"));
            return;
        }
        ScheduledFuture<?> timer = channel.eventLoop().schedule(() -> {
            if (pending.remove(rid) != null) {
                result.complete(MethodResult.error(MethodResult.TIMEOUT,
                        identity + " did not answer " + method + " within " + timeout));
            }
        }, timeout.toMillis(), TimeUnit.MILLISECONDS);
        pending.put(rid, new Pending(result, timer));
        channel.writeAndFlush(Packets.publish(topic, MqttQoS.AT_MOST_ONCE, 0, payload)).addListener(w -> {
            if (!w.isSuccess() && pending.remove(rid) != null) {
                timer.cancel(false);
                result.complete(MethodResult.error(MethodResult.NOT_CONNECTED, identity + " disconnected"));
            }
        });
    }

    /** The client's response to the call {@code rid}; one to no call waiting (late, or unknown) is ignored. */
    void answered(String rid, int status, byte[] body) {
        Pending call = pending.remove(rid);
        if (call != null) {
            call.timeout().cancel(false);
            call.future().complete(new MethodResult(status, body));
        }
    }

    /** Ends every call waiting for an answer: the connection closed. */
    void close() {
        for (Pending m : pending.values()) {
            m.timeout().cancel(false);
            m.future().complete(MethodResult.error(MethodResult.NOT_CONNECTED, identity + " disconnected"));
        }
        pending.clear();
    }
}

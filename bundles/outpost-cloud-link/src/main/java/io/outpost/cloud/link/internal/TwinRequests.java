package io.outpost.cloud.link.internal;

import io.outpost.common.OutpostException;
import io.outpost.hub.HubErrorCode;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicLong;
import org.eclipse.paho.client.mqttv3.MqttException;
import org.eclipse.paho.client.mqttv3.MqttMessage;

/**
 * Twin requests of one connection: {@code $iothub/twin/GET} and reported-property PATCHes, matched with their
 * answers on {@code $iothub/twin/res/<status>/?$rid=<r>}.
 */
final class TwinRequests {

    static final String RES_FILTER = "$iothub/twin/res/#";
    static final String DESIRED_FILTER = "$iothub/twin/PATCH/properties/desired/#";
    static final String DESIRED_PREFIX = "$iothub/twin/PATCH/properties/desired/";
    private static final String RES_PREFIX = "$iothub/twin/res/";

    /** An answer: its status and body. */
    record Answer(int status, String body) {
    }

    private final AtomicLong rids = new AtomicLong();
    private final Map<String, CompletableFuture<Answer>> waiting = new ConcurrentHashMap<>();
    private final long timeoutMillis;

    TwinRequests(long timeoutMillis) {
        this.timeoutMillis = timeoutMillis;
    }

    /** The whole twin ({@code {"desired":...,"reported":...}}). */
    String get(CloudConnection connection) {
        Answer a = fetch(connection);
        if (a.status() != 200) {
            throw unavailable("twin GET of " + connection.identity() + " answered " + a.status() + " " + a.body(), null);
        }
        return a.body();
    }

    /** The answer to a twin GET, whatever its status (404: the cloud holds no such twin). */
    Answer fetch(CloudConnection connection) {
        return request(connection, "$iothub/twin/GET/?$rid=", "");
    }

    /** Sends a reported-properties patch and waits for its 204. */
    void patchReported(CloudConnection connection, String patchJson) {
        Answer a = request(connection, "$iothub/twin/PATCH/properties/reported/?$rid=", patchJson);
        if (a.status() / 100 != 2) {
            throw unavailable("reported PATCH of " + connection.identity() + " answered " + a.status() + " "
                    + a.body(), null);
        }
    }

    private Answer request(CloudConnection connection, String topic, String body) {
        String rid = Long.toString(rids.incrementAndGet());
        CompletableFuture<Answer> answer = new CompletableFuture<>();
        waiting.put(rid, answer);
        try {
            connection.publish(topic + rid, body.getBytes(StandardCharsets.UTF_8), 0);
            return answer.get(timeoutMillis, TimeUnit.MILLISECONDS);
        } catch (MqttException | ExecutionException | TimeoutException e) {
            throw unavailable("twin request of " + connection.identity() + " failed: "
                    + CloudConnection.describe(e), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw unavailable("interrupted", e);
        } finally {
            waiting.remove(rid);
        }
    }

    /** Takes an answer off the wire; false when the topic is not a twin answer. */
    boolean answer(String topic, MqttMessage message) {
        if (!topic.startsWith(RES_PREFIX)) {
            return false;
        }
        String rest = topic.substring(RES_PREFIX.length());
        int slash = rest.indexOf('/');
        int q = rest.indexOf("$rid=");
        if (slash <= 0 || q < 0) {
            return true;
        }
        String rid = rest.substring(q + 5);
        int amp = rid.indexOf('&');
        rid = amp < 0 ? rid : rid.substring(0, amp);
        CompletableFuture<Answer> f = waiting.get(rid);
        if (f != null) {
            try {
                f.complete(new Answer(Integer.parseInt(rest.substring(0, slash)),
                        new String(message.getPayload(), StandardCharsets.UTF_8)));
            } catch (NumberFormatException e) {
                f.completeExceptionally(e);
            }
        }
        return true;
    }

    static OutpostException unavailable(String message, Throwable cause) {
        return new OutpostException(HubErrorCode.ENDPOINT_UNAVAILABLE, message, cause);
    }
}

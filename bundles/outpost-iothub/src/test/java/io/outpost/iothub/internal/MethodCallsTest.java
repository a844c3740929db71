package io.outpost.iothub.internal;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.handler.codec.mqtt.MqttMessageBuilders;
import io.netty.handler.codec.mqtt.MqttPublishMessage;
import io.netty.handler.codec.mqtt.MqttQoS;
import io.netty.handler.codec.mqtt.MqttSubscribeMessage;
import io.netty.util.ReferenceCountUtil;
import io.outpost.iothub.ClientIdentity;
import io.outpost.iothub.MethodResult;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** {@link MethodCalls} on a real (embedded) Netty channel: calls published, answered, timed out and refused. */
class MethodCallsTest {

    private static final ClientIdentity DEVICE = ClientIdentity.device("sensor1");
    private static final Duration TIMEOUT = Duration.ofSeconds(10);

    private final EmbeddedChannel channel = new EmbeddedChannel();
    private final Subscriptions subscriptions = new Subscriptions(channel, DEVICE, false, (what, topic, reason) -> {
    });

    @AfterEach
    void close() {
        channel.finishAndReleaseAll();
    }

    @Test
    void givenASubscribedClient_whenItAnswersACall_thenTheCallCompletesWithItsStatusAndPayload() {
        subscribeToMethods();
        MethodCalls calls = new MethodCalls(channel, DEVICE, subscriptions, 4);
        CompletableFuture<MethodResult> result = new CompletableFuture<>();

        calls.invoke("reboot", "{\"delay\":1}".getBytes(StandardCharsets.UTF_8), TIMEOUT, result);

        MqttPublishMessage call = channel.readOutbound();
        assertThat(call.variableHeader().topicName()).isEqualTo("$iothub/methods/POST/reboot/?$rid=1");
        assertThat(call.fixedHeader().qosLevel()).isEqualTo(MqttQoS.AT_MOST_ONCE);
        assertThat(call.payload().toString(StandardCharsets.UTF_8)).isEqualTo("{\"delay\":1}");
        call.release();
        assertThat(calls.pending()).isEqualTo(1);

        calls.answered("1", 200, "{\"ok\":true}".getBytes(StandardCharsets.UTF_8));

        assertThat(result.join().status()).isEqualTo(200);
        assertThat(result.join().payloadText()).isEqualTo("{\"ok\":true}");
        assertThat(calls.pending()).isZero();
    }

    @Test
    void givenTwoCalls_whenTheSecondIsAnsweredFirst_thenEachAnswerGoesToItsOwnCallByRid() {
        subscribeToMethods();
        MethodCalls calls = new MethodCalls(channel, DEVICE, subscriptions, 4);
        CompletableFuture<MethodResult> first = new CompletableFuture<>();
        CompletableFuture<MethodResult> second = new CompletableFuture<>();
        calls.invoke("a", new byte[0], TIMEOUT, first);
        calls.invoke("b", new byte[0], TIMEOUT, second);

        calls.answered("2", 201, new byte[0]);
        calls.answered("2", 500, new byte[0]);

        assertThat(second.join().status()).isEqualTo(201);
        assertThat(first).isNotDone();
        assertThat(calls.pending()).isEqualTo(1);
    }

    @Test
    void givenAClientNotSubscribedToMethods_whenCalled_thenTheCallEndsNotConnectedWithoutAPublish() {
        MethodCalls calls = new MethodCalls(channel, DEVICE, subscriptions, 4);
        CompletableFuture<MethodResult> result = new CompletableFuture<>();

        calls.invoke("reboot", new byte[0], TIMEOUT, result);

        assertThat(result.join().status()).isEqualTo(MethodResult.NOT_CONNECTED);
        assertThat(result.join().payloadText()).contains(DEVICE + " is not subscribed to direct methods");
        assertThat((Object) channel.readOutbound()).isNull();
    }

    @Test
    void givenMaxPendingCallsUnanswered_whenOneMoreIsMade_thenItIsRefusedAsBusy() {
        subscribeToMethods();
        MethodCalls calls = new MethodCalls(channel, DEVICE, subscriptions, 2);
        calls.invoke("a", new byte[0], TIMEOUT, new CompletableFuture<>());
        calls.invoke("b", new byte[0], TIMEOUT, new CompletableFuture<>());
        CompletableFuture<MethodResult> third = new CompletableFuture<>();

        calls.invoke("c", new byte[0], TIMEOUT, third);

        assertThat(third.join().status()).isEqualTo(MethodResult.BUSY);
        assertThat(third.join().payloadText()).contains("has 2 method calls waiting for an answer");
    }

    @Test
    void givenNoAnswer_whenTheCallsTimeoutPasses_thenItEndsWithTimeoutAndALateAnswerIsIgnored() {
        channel.freezeTime();
        subscribeToMethods();
        MethodCalls calls = new MethodCalls(channel, DEVICE, subscriptions, 4);
        CompletableFuture<MethodResult> result = new CompletableFuture<>();
        calls.invoke("reboot", new byte[0], TIMEOUT, result);

        channel.advanceTimeBy(TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
        channel.runScheduledPendingTasks();
        calls.answered("1", 200, new byte[0]);

        assertThat(result.join().status()).isEqualTo(MethodResult.TIMEOUT);
        assertThat(result.join().payloadText()).contains("did not answer reboot within PT10S");
        assertThat(calls.pending()).isZero();
    }

    @Test
    void givenCallsWaiting_whenTheConnectionCloses_thenTheyEndNotConnected() {
        subscribeToMethods();
        MethodCalls calls = new MethodCalls(channel, DEVICE, subscriptions, 4);
        CompletableFuture<MethodResult> result = new CompletableFuture<>();
        calls.invoke("reboot", new byte[0], TIMEOUT, result);

        calls.close();

        assertThat(result.join().status()).isEqualTo(MethodResult.NOT_CONNECTED);
        assertThat(result.join().payloadText()).contains(DEVICE + " disconnected");
        assertThat(calls.pending()).isZero();
    }

    private void subscribeToMethods() {
        MqttSubscribeMessage subscribe = MqttMessageBuilders.subscribe().messageId(1)
                .addSubscription(MqttQoS.AT_MOST_ONCE, "$iothub/methods/POST/#").build();
        assertThat(subscriptions.subscribe(subscribe)).containsExactly("$iothub/methods/POST/#");
        ReferenceCountUtil.release(channel.readOutbound());
    }
}

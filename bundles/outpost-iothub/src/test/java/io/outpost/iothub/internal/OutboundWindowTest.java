package io.outpost.iothub.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.handler.codec.mqtt.MqttPublishMessage;
import io.netty.handler.codec.mqtt.MqttQoS;
import io.netty.util.ReferenceCountUtil;
import io.outpost.iothub.ClientIdentity;
import io.outpost.iothub.DialectException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** {@link OutboundWindow} on a real (embedded) Netty channel: what it writes, and how its deliveries complete. */
class OutboundWindowTest {

    private static final ClientIdentity MODULE = ClientIdentity.module("edge1", "filter");
    private static final Duration TIMEOUT = Duration.ofSeconds(30);

    private final EmbeddedChannel channel = new EmbeddedChannel();

    @AfterEach
    void close() {
        channel.finishAndReleaseAll();
    }

    @Test
    void givenReceiveMaximumTwo_whenFourDeliveriesAreSent_thenTwoArePublishedAndTwoWait() {
        OutboundWindow window = new OutboundWindow(channel, MODULE, 2, 16, TIMEOUT);

        List<CompletableFuture<Void>> results = send(window, "a", "b", "c", "d");

        assertThat(window.window()).isEqualTo(2);
        assertThat(published()).extracting(Sent::topic).containsExactly("a", "b");
        assertThat(window.awaitingAck()).isEqualTo(2);
        assertThat(window.waiting()).isEqualTo(2);
        assertThat(results).noneMatch(CompletableFuture::isDone);
    }

    @Test
    void givenMaxInflightOutBelowReceiveMaximum_whenDeliveriesAreSent_thenTheServersLimitIsTheWindow() {
        OutboundWindow window = new OutboundWindow(channel, MODULE, 65_535, 3, TIMEOUT);

        send(window, "a", "b", "c", "d", "e");

        assertThat(window.window()).isEqualTo(3);
        assertThat(published()).extracting(Sent::topic).containsExactly("a", "b", "c");
        assertThat(window.waiting()).isEqualTo(2);
    }

    @Test
    void givenAFullWindow_whenPubAcksArrive_thenWaitingDeliveriesAreSentInOrderAsRoomAppears() {
        OutboundWindow window = new OutboundWindow(channel, MODULE, 2, 16, TIMEOUT);
        List<CompletableFuture<Void>> results = send(window, "a", "b", "c", "d", "e");
        List<Sent> first = published();

        window.acknowledged(first.get(1).packetId(), (byte) 0);

        assertThat(results.get(1)).isCompleted();
        assertThat(results.get(0)).isNotDone();
        assertThat(published()).extracting(Sent::topic).containsExactly("c");

        window.acknowledged(first.get(0).packetId(), (byte) 0);

        assertThat(results.get(0)).isCompleted();
        assertThat(published()).extracting(Sent::topic).containsExactly("d");
        assertThat(window.awaitingAck()).isEqualTo(2);
        assertThat(window.waiting()).isEqualTo(1);
    }

    @Test
    void givenAWindowAndAQueueThatAreFull_whenOneMoreIsSent_thenItIsRefusedAsBusy() {
        OutboundWindow window = new OutboundWindow(channel, MODULE, 1, 1, TIMEOUT);

        List<CompletableFuture<Void>> results = send(window, "a", "b", "c");

        assertThat(results.get(0)).isNotDone();
        assertThat(results.get(1)).isNotDone();
        assertThat(failure(results.get(2)).status()).isEqualTo(DialectException.BUSY);
        assertThat(failure(results.get(2))).hasMessage(MODULE + " has 1 deliveries awaiting PUBACK and 1 waiting");
        assertThat(published()).extracting(Sent::topic).containsExactly("a");
    }

    @Test
    void givenAnIdAwaitingPubAck_whenPacketIdsWrapAround_thenItIsSkippedAndAcknowledgedIdsAreReused() {
        OutboundWindow window = new OutboundWindow(channel, MODULE, 2, 2, TIMEOUT);
        send(window, "held");
        assertThat(published()).extracting(Sent::packetId).containsExactly(1);

        for (int expected = 2; expected <= 65_535; expected++) {
            send(window, "t");
            MqttPublishMessage p = channel.readOutbound();
            int id = p.variableHeader().packetId();
            p.release();
            if (id != expected) {
                fail("packet id " + id + " where " + expected + " was free next");
            }
            window.acknowledged(id, (byte) 0);
        }
        send(window, "after-wrap");

        assertThat(published()).extracting(Sent::packetId).containsExactly(2);
    }

    @Test
    void givenAnUnknownOrRepeatedPubAck_whenItArrives_thenNothingChanges() {
        OutboundWindow window = new OutboundWindow(channel, MODULE, 1, 4, TIMEOUT);
        List<CompletableFuture<Void>> results = send(window, "a", "b");
        int id = published().get(0).packetId();
        window.acknowledged(id, (byte) 0);
        published();

        window.acknowledged(id, (byte) 0);
        window.acknowledged(999, (byte) 0);

        assertThat(results.get(0)).isCompleted();
        assertThat(results.get(1)).isNotDone();
        assertThat(window.awaitingAck()).isEqualTo(1);
        assertThat(published()).isEmpty();
    }

    @Test
    void givenAnMqtt5Client_whenItAcknowledgesWithAFailureReason_thenTheDeliveryFailsAsRejectedAndRoomFrees() {
        OutboundWindow window = new OutboundWindow(channel, MODULE, 1, 4, TIMEOUT);
        List<CompletableFuture<Void>> results = send(window, "a", "b");

        window.acknowledged(published().get(0).packetId(), (byte) 0x97);

        assertThat(failure(results.get(0)).status()).isEqualTo(DialectException.REJECTED);
        assertThat(failure(results.get(0))).hasMessageEndingWith("refused the message with reason 0x97");
        assertThat(published()).extracting(Sent::topic).containsExactly("b");
    }

    @Test
    void givenNoPubAck_whenTheDeliveryTimeoutPasses_thenTheDeliveryFailsAndTheNextWaitingOneIsSent() {
        channel.freezeTime();
        OutboundWindow window = new OutboundWindow(channel, MODULE, 1, 4, TIMEOUT);
        List<CompletableFuture<Void>> results = send(window, "a", "b");
        published();

        channel.advanceTimeBy(TIMEOUT.toMillis() - 1, TimeUnit.MILLISECONDS);
        channel.runScheduledPendingTasks();
        assertThat(results.get(0)).isNotDone();

        channel.advanceTimeBy(1, TimeUnit.MILLISECONDS);
        channel.runScheduledPendingTasks();

        assertThat(failure(results.get(0)).status()).isEqualTo(DialectException.TIMEOUT);
        assertThat(published()).extracting(Sent::topic).containsExactly("b");
        assertThat(results.get(1)).isNotDone();
    }

    @Test
    void givenDeliveriesInFlightAndWaiting_whenTheConnectionCloses_thenAllFailAsNotConnected() {
        OutboundWindow window = new OutboundWindow(channel, MODULE, 1, 4, TIMEOUT);
        List<CompletableFuture<Void>> results = send(window, "a", "b");

        window.close();

        assertThat(failure(results.get(0))).hasMessage(MODULE + " disconnected before acknowledging");
        assertThat(failure(results.get(1))).hasMessage(MODULE + " disconnected before the message was sent");
        assertThat(results).allMatch(r -> failure(r).status() == DialectException.NOT_CONNECTED);
        assertThat(window.awaitingAck()).isZero();
        assertThat(window.waiting()).isZero();
    }

    @Test
    void givenAClosedChannel_whenADeliveryIsSent_thenItFailsAsNotConnectedAndLeavesTheWindow() {
        OutboundWindow window = new OutboundWindow(channel, MODULE, 2, 4, TIMEOUT);
        channel.close();

        List<CompletableFuture<Void>> results = send(window, "a");

        assertThat(failure(results.get(0))).hasMessage(MODULE + " is not connected");
        assertThat(window.awaitingAck()).isZero();
    }

    private record Sent(String topic, int packetId) {
    }

    private static List<CompletableFuture<Void>> send(OutboundWindow window, String... topics) {
        List<CompletableFuture<Void>> results = new ArrayList<>();
        for (String topic : topics) {
            CompletableFuture<Void> result = new CompletableFuture<>();
            window.send(topic, new byte[] {1, 2, 3}, result);
            results.add(result);
        }
        return results;
    }

    /** The PUBLISHes written since the last call, all QoS 1. */
    private List<Sent> published() {
        List<Sent> sent = new ArrayList<>();
        for (Object o; (o = channel.readOutbound()) != null; ) {
            MqttPublishMessage p = (MqttPublishMessage) o;
            assertThat(p.fixedHeader().qosLevel()).isEqualTo(MqttQoS.AT_LEAST_ONCE);
            sent.add(new Sent(p.variableHeader().topicName(), p.variableHeader().packetId()));
            ReferenceCountUtil.release(p);
        }
        return sent;
    }

    private static DialectException failure(CompletableFuture<?> result) {
        assertThat(result).isCompletedExceptionally();
        Throwable[] cause = new Throwable[1];
        result.whenComplete((v, e) -> cause[0] = e);
        assertThat(cause[0]).isInstanceOf(DialectException.class);
        return (DialectException) cause[0];
    }
}

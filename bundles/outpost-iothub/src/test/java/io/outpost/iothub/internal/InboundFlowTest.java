package io.outpost.iothub.internal;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.handler.codec.mqtt.MqttMessage;
import io.netty.handler.codec.mqtt.MqttMessageType;
import io.netty.handler.codec.mqtt.MqttPubReplyMessageVariableHeader;
import io.netty.handler.codec.mqtt.MqttPublishMessage;
import io.netty.handler.codec.mqtt.MqttQoS;
import io.netty.util.ReferenceCountUtil;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** {@link InboundFlow} on a real (embedded) Netty channel: the PUBACKs it writes and the channel's auto-read. */
class InboundFlowTest {

    private final EmbeddedChannel channel = new EmbeddedChannel();
    private int notTaken;

    @AfterEach
    void close() {
        channel.finishAndReleaseAll();
    }

    @Test
    void givenThreePublishes_whenTheyFinishOutOfOrder_thenPubAcksGoOutInArrivalOrder() {
        InboundFlow flow = flow(false, 16, 1024);
        InboundFlow.Op first = flow.begin(11, true, 10);
        InboundFlow.Op second = flow.begin(12, true, 10);
        InboundFlow.Op third = flow.begin(13, true, 10);

        flow.finish(third, (byte) 0, false, null);
        assertThat(written()).isEmpty();

        flow.finish(first, (byte) 0, false, null);
        assertThat(written()).containsExactly("PUBACK 11");

        flow.finish(second, (byte) 0, false, null);
        assertThat(written()).containsExactly("PUBACK 12", "PUBACK 13");
        assertThat(flow.inProcessing()).isZero();
        assertThat(flow.bytesInProcessing()).isZero();
    }

    @Test
    void givenAQos0PublishAmongQos1Ones_whenAllFinish_thenOnlyTheQos1OnesAreAcknowledgedInOrder() {
        InboundFlow flow = flow(false, 16, 1024);
        InboundFlow.Op qos0 = flow.begin(0, false, 10);
        InboundFlow.Op qos1 = flow.begin(7, true, 10);

        flow.finish(qos1, (byte) 0, false, null);
        assertThat(written()).isEmpty();
        flow.finish(qos0, (byte) 0, false, null);

        assertThat(written()).containsExactly("PUBACK 7");
    }

    @Test
    void givenAResponseToSend_whenItsPublishIsAnswered_thenTheResponseGoesBeforeItsPubAck() {
        InboundFlow flow = flow(false, 16, 1024);
        InboundFlow.Op op = flow.begin(5, true, 0);

        flow.finish(op, (byte) 0, false, () -> channel.write(Packets.publish("$iothub/twin/res/200/?$rid=1",
                MqttQoS.AT_MOST_ONCE, 0, new byte[0])));

        assertThat(written()).containsExactly("PUBLISH $iothub/twin/res/200/?$rid=1", "PUBACK 5");
    }

    @Test
    void givenTheCountLimit_whenItIsReached_thenReadingStopsAndResumesOnceOneIsAnswered() {
        InboundFlow flow = flow(false, 2, 1024);
        InboundFlow.Op first = flow.begin(1, true, 1);
        assertThat(channel.config().isAutoRead()).isTrue();

        InboundFlow.Op second = flow.begin(2, true, 1);
        assertThat(channel.config().isAutoRead()).isFalse();

        flow.finish(second, (byte) 0, false, null);
        assertThat(channel.config().isAutoRead()).as("the second is done but waits for the first").isFalse();

        flow.finish(first, (byte) 0, false, null);
        assertThat(channel.config().isAutoRead()).isTrue();
        assertThat(written()).containsExactly("PUBACK 1", "PUBACK 2");
    }

    @Test
    void givenTheByteLimit_whenThePayloadsReachIt_thenReadingStopsAndResumesOnceBelow() {
        InboundFlow flow = flow(false, 16, 100);
        InboundFlow.Op first = flow.begin(1, true, 60);
        assertThat(channel.config().isAutoRead()).isTrue();

        flow.begin(2, true, 60);
        assertThat(channel.config().isAutoRead()).isFalse();
        assertThat(flow.bytesInProcessing()).isEqualTo(120);

        flow.finish(first, (byte) 0, false, null);
        assertThat(flow.bytesInProcessing()).isEqualTo(60);
        assertThat(channel.config().isAutoRead()).isTrue();
    }

    @Test
    void givenASinglePublishLargerThanTheByteLimit_whenItIsTaken_thenItGoesThroughAlone() {
        InboundFlow flow = flow(false, 16, 100);

        InboundFlow.Op big = flow.begin(1, true, 500);
        assertThat(channel.config().isAutoRead()).isFalse();
        flow.finish(big, (byte) 0, false, null);

        assertThat(written()).containsExactly("PUBACK 1");
        assertThat(channel.config().isAutoRead()).isTrue();
    }

    @Test
    void givenAnMqtt5Client_whenTheHostDoesNotTakeAPublish_thenItsPubAckCarriesTheReasonAndTheFlowGoesOn() {
        InboundFlow flow = flow(true, 16, 1024);
        InboundFlow.Op refused = flow.begin(1, true, 1);
        InboundFlow.Op taken = flow.begin(2, true, 1);

        flow.finish(taken, (byte) 0, false, null);
        flow.finish(refused, (byte) 0x97, true, null);

        assertThat(written()).containsExactly("PUBACK 1 reason=0x97", "PUBACK 2");
        assertThat(notTaken).isZero();
    }

    @Test
    void givenAnMqtt311Client_whenTheHostDoesNotTakeAPublish_thenNoPubAckGoesOutAndTheConnectionIsClosed() {
        InboundFlow flow = flow(false, 16, 1024);
        InboundFlow.Op taken = flow.begin(1, true, 1);
        InboundFlow.Op refused = flow.begin(2, true, 1);
        InboundFlow.Op after = flow.begin(3, true, 1);
        flow.finish(after, (byte) 0, false, null);

        flow.finish(taken, (byte) 0, false, null);
        flow.finish(refused, (byte) 0x80, true, null);

        assertThat(written()).containsExactly("PUBACK 1");
        assertThat(notTaken).isEqualTo(1);
    }

    @Test
    void givenPublishesInProcessing_whenTheConnectionCloses_thenLaterCompletionsWriteNothingAndReadingStaysOff() {
        InboundFlow flow = flow(false, 1, 1024);
        InboundFlow.Op op = flow.begin(1, true, 1);
        assertThat(channel.config().isAutoRead()).isFalse();

        flow.close();
        flow.finish(op, (byte) 0, false, null);

        assertThat(written()).isEmpty();
        assertThat(flow.inProcessing()).isZero();
        assertThat(channel.config().isAutoRead()).isFalse();
    }

    private InboundFlow flow(boolean mqtt5, int maxCount, long maxBytes) {
        return new InboundFlow(channel, mqtt5, maxCount, maxBytes, () -> notTaken++);
    }

    /** What was written since the last call, in order, one line a packet. */
    private List<String> written() {
        List<String> out = new ArrayList<>();
        for (Object o; (o = channel.readOutbound()) != null; ) {
            if (o instanceof MqttPublishMessage p) {
                out.add("PUBLISH " + p.variableHeader().topicName());
            } else {
                MqttMessage m = (MqttMessage) o;
                assertThat(m.fixedHeader().messageType()).isEqualTo(MqttMessageType.PUBACK);
                MqttPubReplyMessageVariableHeader reply = (MqttPubReplyMessageVariableHeader) m.variableHeader();
                int reason = reply.reasonCode() & 0xff;
                out.add("PUBACK " + reply.messageId()
                        + (reason == 0 ? "" : " reason=0x" + Integer.toHexString(reason)));
            }
            ReferenceCountUtil.release(o);
        }
        return out;
    }
}

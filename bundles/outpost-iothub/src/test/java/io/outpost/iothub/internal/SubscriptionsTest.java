package io.outpost.iothub.internal;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.handler.codec.mqtt.MqttMessage;
import io.netty.handler.codec.mqtt.MqttMessageBuilders;
import io.netty.handler.codec.mqtt.MqttQoS;
import io.netty.handler.codec.mqtt.MqttSubAckMessage;
import io.netty.handler.codec.mqtt.MqttUnsubAckPayload;
import io.outpost.iothub.ClientIdentity;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** {@link Subscriptions} on a real (embedded) Netty channel: SUBACK and UNSUBACK codes, limits and matching. */
class SubscriptionsTest {

    private static final ClientIdentity MODULE = ClientIdentity.module("edge1", "filter");

    private final EmbeddedChannel channel = new EmbeddedChannel();
    private final List<String> refused = new ArrayList<>();

    @AfterEach
    void close() {
        channel.finishAndReleaseAll();
    }

    @Test
    void givenOwnAndForeignFilters_whenSubscribed_thenOwnAreGrantedAtMostQos1AndForeignRefused() {
        Subscriptions subscriptions = subscriptions(false);

        List<String> granted = subscriptions.subscribe(MqttMessageBuilders.subscribe().messageId(9)
                .addSubscription(MqttQoS.EXACTLY_ONCE, "devices/edge1/modules/filter/inputs/#")
                .addSubscription(MqttQoS.AT_MOST_ONCE, "$iothub/twin/res/#")
                .addSubscription(MqttQoS.AT_LEAST_ONCE, "devices/edge1/modules/other/inputs/#")
                .build());

        MqttSubAckMessage ack = channel.readOutbound();
        assertThat(ack.variableHeader().messageId()).isEqualTo(9);
        assertThat(ack.payload().grantedQoSLevels()).containsExactly(1, 0, 0x80);
        assertThat(granted).containsExactly("devices/edge1/modules/filter/inputs/#", "$iothub/twin/res/#");
        assertThat(refused).containsExactly("subscribe devices/edge1/modules/other/inputs/# "
                + "a module subscribes only to its own inputs, twin and methods");
        assertThat(subscriptions.filters()).containsExactlyInAnyOrder("devices/edge1/modules/filter/inputs/#",
                "$iothub/twin/res/#");
    }

    @Test
    void givenAnMqtt5Client_whenAFilterIsRefused_thenItsCodeIsNotAuthorized() {
        Subscriptions subscriptions = subscriptions(true);

        subscriptions.subscribe(MqttMessageBuilders.subscribe().messageId(1)
                .addSubscription(MqttQoS.AT_MOST_ONCE, "#").build());

        MqttSubAckMessage ack = channel.readOutbound();
        assertThat(ack.payload().reasonCodes()).containsExactly(0x87);
    }

    @Test
    void givenTheMaximumOfSubscriptions_whenOneMoreIsAsked_thenItIsRefusedButAKnownOneIsRenewed() {
        Subscriptions subscriptions = subscriptions(false);
        for (int i = 0; i < Subscriptions.MAX_SUBSCRIPTIONS; i++) {
            subscriptions.subscribe(MqttMessageBuilders.subscribe().messageId(i + 1)
                    .addSubscription(MqttQoS.AT_MOST_ONCE, "devices/edge1/modules/filter/inputs/in" + i).build());
            channel.<MqttSubAckMessage>readOutbound();
        }

        List<String> granted = subscriptions.subscribe(MqttMessageBuilders.subscribe().messageId(100)
                .addSubscription(MqttQoS.AT_MOST_ONCE, "devices/edge1/modules/filter/inputs/one-more")
                .addSubscription(MqttQoS.AT_LEAST_ONCE, "devices/edge1/modules/filter/inputs/in0").build());

        MqttSubAckMessage ack = channel.readOutbound();
        assertThat(ack.payload().grantedQoSLevels()).containsExactly(0x80, 1);
        assertThat(granted).containsExactly("devices/edge1/modules/filter/inputs/in0");
        assertThat(refused).containsExactly("subscribe devices/edge1/modules/filter/inputs/one-more more than 32 "
                + "subscriptions");
        assertThat(subscriptions.filters()).hasSize(Subscriptions.MAX_SUBSCRIPTIONS);
    }

    @Test
    void givenOverlappingFilters_whenATopicIsMatched_thenTheHighestQosWinsAndNoneIsMinusOne() {
        Subscriptions subscriptions = subscriptions(false);
        subscriptions.subscribe(MqttMessageBuilders.subscribe().messageId(1)
                .addSubscription(MqttQoS.AT_MOST_ONCE, "devices/edge1/modules/filter/inputs/#")
                .addSubscription(MqttQoS.AT_LEAST_ONCE, "devices/edge1/modules/filter/inputs/alerts/#").build());

        assertThat(subscriptions.qos("devices/edge1/modules/filter/inputs/alerts/a=1")).isEqualTo(1);
        assertThat(subscriptions.qos("devices/edge1/modules/filter/inputs/other/a=1")).isZero();
        assertThat(subscriptions.qos("$iothub/methods/POST/reboot/?$rid=1")).isEqualTo(-1);
    }

    @Test
    void givenAFilterHeld_whenUnsubscribedWithAnUnknownOne_thenTheCodesSaySuccessAndNoSubscriptionExisted() {
        Subscriptions subscriptions = subscriptions(true);
        subscriptions.subscribe(MqttMessageBuilders.subscribe().messageId(1)
                .addSubscription(MqttQoS.AT_MOST_ONCE, "$iothub/twin/res/#").build());
        channel.<MqttSubAckMessage>readOutbound();

        subscriptions.unsubscribe(MqttMessageBuilders.unsubscribe().messageId(2)
                .addTopicFilter("$iothub/twin/res/#").addTopicFilter("$iothub/methods/POST/#").build());

        MqttMessage ack = channel.readOutbound();
        assertThat(((MqttUnsubAckPayload) ack.payload()).unsubscribeReasonCodes()).containsExactly((short) 0x00,
                (short) 0x11);
        assertThat(subscriptions.filters()).isEmpty();
        assertThat(subscriptions.qos("$iothub/twin/res/200/?$rid=1")).isEqualTo(-1);
    }

    private Subscriptions subscriptions(boolean mqtt5) {
        return new Subscriptions(channel, MODULE, mqtt5,
                (what, topic, reason) -> refused.add(what + " " + topic + " " + reason));
    }
}

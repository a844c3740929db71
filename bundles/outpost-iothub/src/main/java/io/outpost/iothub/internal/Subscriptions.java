package io.outpost.iothub.internal;

import io.netty.channel.Channel;
import io.netty.handler.codec.mqtt.MqttFixedHeader;
import io.netty.handler.codec.mqtt.MqttMessageBuilders;
import io.netty.handler.codec.mqtt.MqttMessageIdAndPropertiesVariableHeader;
import io.netty.handler.codec.mqtt.MqttMessageType;
import io.netty.handler.codec.mqtt.MqttProperties;
import io.netty.handler.codec.mqtt.MqttQoS;
import io.netty.handler.codec.mqtt.MqttSubAckMessage;
import io.netty.handler.codec.mqtt.MqttSubAckPayload;
import io.netty.handler.codec.mqtt.MqttSubscribeMessage;
import io.netty.handler.codec.mqtt.MqttTopicSubscription;
import io.netty.handler.codec.mqtt.MqttUnsubscribeMessage;
import io.outpost.iothub.ClientIdentity;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The topic filters one client holds, with the QoS granted to each (at most 1): SUBSCRIBE and UNSUBSCRIBE answered,
 * filters outside the client's own dialect topics or beyond {@value #MAX_SUBSCRIPTIONS} refused, and the highest
 * QoS matching a topic the server is about to publish. Changed on the channel's event loop; {@link #filters()} may be
 * read from any thread.
 */
final class Subscriptions {

    static final int MAX_SUBSCRIPTIONS = 32;

    /** Where a refused filter is reported (rate-limited refusal log). */
    @FunctionalInterface
    interface Refusals {
        void refused(String what, String topic, String reason);
    }

    private final Channel channel;
    private final ClientIdentity identity;
    private final boolean mqtt5;
    private final Refusals refusals;
    private final Map<String, Integer> filters = new ConcurrentHashMap<>();

    Subscriptions(Channel channel, ClientIdentity identity, boolean mqtt5, Refusals refusals) {
        this.channel = channel;
        this.identity = identity;
        this.mqtt5 = mqtt5;
        this.refusals = refusals;
    }

    /** The filters held now (a live view). */
    Set<String> filters() {
        return filters.keySet();
    }

    /** Answers a SUBSCRIBE with its SUBACK; returns the filters granted, in the packet's order. */
    List<String> subscribe(MqttSubscribeMessage subscribe) {
        List<Integer> codes = new ArrayList<>();
        List<String> granted = new ArrayList<>();
        for (MqttTopicSubscription s : subscribe.payload().topicSubscriptions()) {
            String filter = s.topicName();
            Optional<String> refusal = Topics.subscribeRefusal(identity, filter);
            if (refusal.isEmpty() && !filters.containsKey(filter) && filters.size() >= MAX_SUBSCRIPTIONS) {
                refusal = Optional.of("more than " + MAX_SUBSCRIPTIONS + " subscriptions");
            }
            if (refusal.isPresent()) {
                refusals.refused("subscribe", filter, refusal.get());
                codes.add(mqtt5 ? 0x87 : 0x80);
                continue;
            }
            int qos = Math.min(s.qualityOfService().value(), 1);
            filters.put(filter, qos);
            codes.add(qos);
            granted.add(filter);
        }
        channel.writeAndFlush(new MqttSubAckMessage(
                new MqttFixedHeader(MqttMessageType.SUBACK, false, MqttQoS.AT_MOST_ONCE, false, 0),
                new MqttMessageIdAndPropertiesVariableHeader(subscribe.idAndPropertiesVariableHeader().messageId(),
                        MqttProperties.NO_PROPERTIES),
                new MqttSubAckPayload(codes)));
        return granted;
    }

    /** Answers an UNSUBSCRIBE: 0x00 for each filter removed, 0x11 (no subscription existed) for the others. */
    void unsubscribe(MqttUnsubscribeMessage unsubscribe) {
        MqttMessageBuilders.UnsubAckBuilder ack = MqttMessageBuilders.unsubAck()
                .packetId(unsubscribe.idAndPropertiesVariableHeader().messageId());
        for (String filter : unsubscribe.payload().topics()) {
            boolean existed = filters.remove(filter) != null;
            ack.addReasonCode(existed ? (short) 0x00 : (short) 0x11);
        }
        channel.writeAndFlush(ack.build());
    }

    /** The highest QoS of the client's subscriptions matching the topic; -1 when none matches. */
    int qos(String topic) {
        int best = -1;
        for (String filter : filters.keySet()) {
            if (Topics.matches(filter, topic)) {
                Integer qos = filters.get(filter);
                best = qos == null ? best : Math.max(best, qos);
            }
        }
        return best;
    }
}

package io.outpost.iothub.internal;

import io.netty.buffer.ByteBufUtil;
import io.netty.channel.Channel;
import io.netty.handler.codec.mqtt.MqttPublishMessage;
import io.netty.handler.codec.mqtt.MqttQoS;
import io.outpost.iothub.ClientIdentity;
import io.outpost.iothub.DialectHost;
import io.outpost.iothub.IotMessage;
import java.nio.charset.StandardCharsets;

/**
 * What a connected client's PUBLISH asks for, by its topic: telemetry handed to the host, a twin GET or reported
 * patch answered on the twin response topic, a direct method's response handed to {@link MethodCalls}; anything else
 * refused (with a PUBACK reason code for an MQTT 5 QoS 1 PUBLISH, by closing the connection otherwise). Every
 * PUBLISH taken goes through {@link InboundFlow}, which answers them in arrival order. Runs on the channel's event
 * loop; the host's completions hop back onto it.
 */
final class ClientPublishes {

    private final Connection connection;
    private final Channel channel;
    private final DialectHost host;
    private final ClientIdentity identity;
    private final boolean mqtt5;
    private final InboundFlow inbound;
    private final Subscriptions subscriptions;
    private final MethodCalls methods;

    ClientPublishes(Connection connection, Channel channel, DialectHost host, ClientIdentity identity, boolean mqtt5,
            InboundFlow inbound, Subscriptions subscriptions, MethodCalls methods) {
        this.connection = connection;
        this.channel = channel;
        this.host = host;
        this.identity = identity;
        this.mqtt5 = mqtt5;
        this.inbound = inbound;
        this.subscriptions = subscriptions;
        this.methods = methods;
    }

    void onPublish(MqttPublishMessage publish) {
        MqttQoS qos = publish.fixedHeader().qosLevel();
        String topic = publish.variableHeader().topicName();
        if (qos == MqttQoS.EXACTLY_ONCE || qos == MqttQoS.FAILURE) {
            connection.refusalLog("publish", topic, "QoS 2 is not supported");
            connection.closeWith("qos2-refused", (byte) 0x9B);
            return;
        }
        boolean qos1 = qos == MqttQoS.AT_LEAST_ONCE;
        int packetId = publish.variableHeader().packetId();
        byte[] body = ByteBufUtil.getBytes(publish.payload());
        Topics.Publish kind = Topics.classify(identity, topic);
        if (kind instanceof Topics.Telemetry telemetry) {
            IotMessage message;
            try {
                message = PropertyBag.decode(telemetry.bag(), body);
            } catch (IllegalArgumentException e) {
                refuse(topic, "property bag: " + e.getMessage(), qos1, packetId);
                return;
            }
            InboundFlow.Op op = inbound.begin(packetId, qos1, body.length);
            HostCalls.call(() -> host.telemetry(identity, message)).whenComplete((v, e) -> connection.onLoop(() -> {
                if (e != null) {
                    int status = HostCalls.status(e);
                    connection.refusalLog("telemetry", topic, "not taken (" + status + "): " + HostCalls.message(e));
                    inbound.finish(op, status == 429 || status == 507 ? (byte) 0x97 : (byte) 0x80, true, null);
                } else {
                    inbound.finish(op, (byte) 0, false, null);
                }
            }));
        } else if (kind instanceof Topics.TwinGet get) {
            InboundFlow.Op op = inbound.begin(packetId, qos1, body.length);
            HostCalls.call(() -> host.getTwin(identity)).whenComplete((twin, e) -> connection.onLoop(() ->
                    inbound.finish(op, (byte) 0, false, () -> {
                        if (e != null) {
                            sendTwinResponse(HostCalls.status(e), get.rid(), null, HostCalls.errorBody(e));
                        } else {
                            sendTwinResponse(200, get.rid(), null, twin.getBytes(StandardCharsets.UTF_8));
                        }
                    })));
        } else if (kind instanceof Topics.TwinPatchReported patch) {
            InboundFlow.Op op = inbound.begin(packetId, qos1, body.length);
            String json = new String(body, StandardCharsets.UTF_8);
            HostCalls.call(() -> host.patchReported(identity, json)).whenComplete((version, e) -> connection.onLoop(
                    () -> inbound.finish(op, (byte) 0, false, () -> {
                        if (e != null) {
                            sendTwinResponse(HostCalls.status(e), patch.rid(), null, HostCalls.errorBody(e));
                        } else {
                            sendTwinResponse(204, patch.rid(), version, new byte[0]);
                        }
                    })));
        } else if (kind instanceof Topics.MethodResponse response) {
            methods.answered(response.rid(), response.status(), body);
            InboundFlow.Op op = inbound.begin(packetId, qos1, body.length);
            inbound.finish(op, (byte) 0, false, null);
        } else {
            refuse(topic, ((Topics.Refused) kind).reason(), qos1, packetId);
        }
    }

    private void refuse(String topic, String reason, boolean qos1, int packetId) {
        connection.refusalLog("publish", topic, reason);
        if (mqtt5 && qos1) {
            InboundFlow.Op op = inbound.begin(packetId, true, 0);
            inbound.finish(op, (byte) 0x87, false, null);
            return;
        }
        connection.closeWith("publish-refused", (byte) 0x87);
    }

    /** A twin response (QoS 0), written before the PUBACK of its request; {@link InboundFlow} flushes both. */
    private void sendTwinResponse(int status, String rid, Long version, byte[] body) {
        String topic = Topics.TWIN_RES_PREFIX + status + "/?$rid=" + rid + (version == null ? "" : "&$version=" + version);
        if (subscriptions.qos(topic) < 0) {
            connection.refusalLog("twin-response", topic,
                    "the client is not subscribed to " + Topics.TWIN_RES_PREFIX + "#");
            return;
        }
        channel.write(Packets.publish(topic, MqttQoS.AT_MOST_ONCE, 0, body));
    }
}

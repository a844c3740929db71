package io.outpost.hub.internal;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.handler.codec.mqtt.MqttMessage;
import io.netty.handler.codec.mqtt.MqttMessageType;
import io.netty.handler.codec.mqtt.MqttPublishMessage;
import io.outpost.hub.IncomingMessage;
import io.outpost.hub.MessageRouter;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.apache.activemq.artemis.core.protocol.mqtt.MQTTInterceptor;
import org.apache.activemq.artemis.spi.core.protocol.RemotingConnection;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Takes the telemetry of authenticated MQTT clients: a PUBLISH on the client's own telemetry topic is decoded and
 * handed to the {@link MessageRouter} (which returns once it is durable in every matching endpoint queue) before
 * the broker acknowledges it; the broker then drops its copy ({@link TelemetrySink}). A PUBLISH on any other
 * topic, or one the router cannot take, closes the connection (MQTT 3.1.1 has no way to refuse a PUBLISH);
 * such refusals are logged at most once per client every {@link #LOG_PERIOD_SECONDS} seconds.
 */
final class TelemetryInterceptor implements MQTTInterceptor {

    static final long LOG_PERIOD_SECONDS = 60;
    private static final Logger LOG = LoggerFactory.getLogger(TelemetryInterceptor.class);

    private final MessageRouter router;
    private final RateLimitedLog refusals = new RateLimitedLog(LOG_PERIOD_SECONDS, TimeUnit.SECONDS);

    TelemetryInterceptor(MessageRouter router) {
        this.router = router;
    }

    @Override
    public boolean intercept(MqttMessage packet, RemotingConnection connection) {
        if (packet.fixedHeader() == null || packet.fixedHeader().messageType() != MqttMessageType.PUBLISH) {
            return true;
        }
        Optional<ClientIdentity> identity = HubSecurityManager.identityOf(connection.getSubject());
        MqttPublishMessage publish = (MqttPublishMessage) packet;
        String topic = publish.variableHeader().topicName();
        if (identity.isEmpty()) {
            refuse(connection.getRemoteAddress(), "anonymous", topic, "not authenticated");
            return false;
        }
        ByteBuf payload = publish.payload();
        byte[] body = ByteBufUtil.getBytes(payload, payload.readerIndex(), payload.readableBytes());
        Optional<IncomingMessage> message;
        try {
            message = TelemetryTopic.decode(identity.get(), topic, body);
        } catch (IllegalArgumentException e) {
            refuse(connection.getRemoteAddress(), identity.get().getName(), topic, "property bag: " + e.getMessage());
            return false;
        }
        if (message.isEmpty()) {
            refuse(connection.getRemoteAddress(), identity.get().getName(), topic, "not the client's own telemetry topic");
            return false;
        }
        try {
            router.route(message.get());
            return true;
        } catch (RuntimeException e) {
            refuse(connection.getRemoteAddress(), identity.get().getName(), topic, "not routed: " + e.getMessage());
            return false;
        }
    }

    private void refuse(String remote, String client, String topic, String why) {
        refusals.log(client, System.nanoTime(), suppressed -> LOG.warn(
                "mqtt-publish-refused client={} remote={} topic=\"{}\" reason=\"{}\" suppressedSinceLast={}",
                client, remote, abbreviate(topic), why, suppressed));
    }

    private static String abbreviate(String topic) {
        if (topic == null) {
            return "";
        }
        return topic.length() <= 200 ? topic : topic.substring(0, 200) + "...";
    }
}

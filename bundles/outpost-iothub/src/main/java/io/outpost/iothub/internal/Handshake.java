package io.outpost.iothub.internal;

import io.netty.channel.Channel;
import io.netty.channel.ChannelFutureListener;
import io.netty.handler.codec.mqtt.MqttConnAckMessage;
import io.netty.handler.codec.mqtt.MqttConnectMessage;
import io.netty.handler.codec.mqtt.MqttConnectReturnCode;
import io.netty.handler.codec.mqtt.MqttMessage;
import io.netty.handler.codec.mqtt.MqttMessageBuilders;
import io.netty.handler.codec.mqtt.MqttProperties;
import io.netty.handler.ssl.SslHandler;
import io.netty.util.ReferenceCountUtil;
import io.netty.util.concurrent.ScheduledFuture;
import io.outpost.iothub.Authenticated;
import io.outpost.iothub.ClientIdentity;
import io.outpost.iothub.ConnectRequest;
import io.outpost.iothub.DialectSettings;
import io.outpost.iothub.IotMessage;
import java.nio.charset.StandardCharsets;
import java.security.cert.Certificate;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.SSLPeerUnverifiedException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A connection's way to its CONNACK: the deadline for the whole of it (connect timer), the CONNECT read and checked
 * (protocol level, will QoS), the host's authentication (at most {@code maxPendingAuthentications} at once in the
 * server; nothing read meanwhile), the identity, credential expiry and will checked, and either the connection
 * accepted ({@link Connection#accept}) and the packets that came during authentication (at most {@value #MAX_HELD})
 * handed on in order, or a refusing CONNACK and the close. Runs on the channel's event loop.
 */
final class Handshake {

    static final int MAX_HELD = 32;
    /** The connection's logger, so that operators find one connection's events under one name. */
    private static final Logger LOG = LoggerFactory.getLogger(Connection.class);

    private final Connection connection;
    private final Server server;
    private final Channel channel;
    private final boolean tls;
    private final Duration connectDeadline;
    private final List<Object> held = new ArrayList<>();
    private ScheduledFuture<?> connectTimer;

    Handshake(Connection connection, Server server, Channel channel, boolean tls, Duration connectDeadline) {
        this.connection = connection;
        this.server = server;
        this.channel = channel;
        this.tls = tls;
        this.connectDeadline = connectDeadline;
    }

    /** Starts the deadline: a connection not accepted by then is closed. */
    void start() {
        connectTimer = channel.eventLoop().schedule(() -> {
            Connection.State state = connection.state();
            if (state != Connection.State.CONNECTED && state != Connection.State.CLOSED) {
                connection.closeWith("connect-timeout");
            }
        }, connectDeadline.toMillis(), TimeUnit.MILLISECONDS);
    }

    /** Keeps a packet that came while the host authenticates; false (not kept) when {@value #MAX_HELD} are held. */
    boolean hold(Object packet) {
        if (held.size() >= MAX_HELD) {
            return false;
        }
        held.add(packet);
        return true;
    }

    /** The connection closed: stops the deadline and releases the packets held. */
    void close() {
        cancel();
        held.forEach(ReferenceCountUtil::release);
        held.clear();
    }

    void onConnect(MqttConnectMessage connect) {
        int version = connect.variableHeader().version();
        if (version != 4 && version != 5) {
            refuse(MqttConnectReturnCode.CONNECTION_REFUSED_UNACCEPTABLE_PROTOCOL_VERSION,
                    "MQTT protocol level " + version + " (3.1.1 and 5 are served)");
            return;
        }
        connection.protocolLevel(version);
        int receiveMaximum = 65_535;
        if (version == 5) {
            MqttProperties.MqttProperty<?> receiveMax = connect.variableHeader().properties()
                    .getProperty(MqttProperties.MqttPropertyType.RECEIVE_MAXIMUM.value());
            if (receiveMax != null && receiveMax.value() instanceof Integer max && max > 0) {
                receiveMaximum = max;
            }
        }
        String clientId = connect.payload().clientIdentifier();
        Optional<String> username = connect.variableHeader().hasUserName()
                ? Optional.ofNullable(connect.payload().userName()) : Optional.empty();
        Optional<String> password = connect.variableHeader().hasPassword() && connect.payload().passwordInBytes() != null
                ? Optional.of(new String(connect.payload().passwordInBytes(), StandardCharsets.UTF_8))
                : Optional.empty();
        String willTopic = null;
        byte[] willBody = null;
        if (connect.variableHeader().isWillFlag()) {
            if (connect.variableHeader().willQos() > 1) {
                refuse(MqttConnectReturnCode.CONNECTION_REFUSED_QOS_NOT_SUPPORTED, "will QoS 2");
                return;
            }
            willTopic = connect.payload().willTopic();
            willBody = connect.payload().willMessageInBytes();
        }
        ConnectRequest request = new ConnectRequest(clientId == null ? "" : clientId, username, password,
                peerCertificates(), connection.remote(), tls, version);
        if (!server.beginAuthentication()) {
            refuse(MqttConnectReturnCode.CONNECTION_REFUSED_SERVER_UNAVAILABLE,
                    "more than " + server.settings.maxPendingAuthentications() + " authentications pending");
            return;
        }
        connection.authenticating();
        // nothing more is read until the host decided: a client waiting for its CONNACK holds no more memory
        channel.config().setAutoRead(false);
        Offer offer = new Offer(request, connect.variableHeader().keepAliveTimeSeconds(), receiveMaximum, willTopic,
                willBody);
        CompletionStage<Optional<Authenticated>> result;
        try {
            result = server.host.authenticate(request);
        } catch (RuntimeException e) {
            result = CompletableFuture.failedFuture(e);
        }
        result.whenComplete((auth, error) -> {
            server.endAuthentication();
            connection.onLoop(() -> {
                try {
                    onAuthenticated(offer, auth, error);
                } catch (RuntimeException e) {
                    LOG.warn("iothub-connect-failed client=\"{}\" remote={}", PropertyBag.abbreviate(request.clientId()),
                            connection.remote(), e);
                    connection.closeWith("connect-failed");
                }
            });
        });
    }

    /** What the CONNECT asked for, beyond the request the host authenticates. */
    private record Offer(ConnectRequest request, int keepAlive, int receiveMaximum, String willTopic, byte[] willBody) {
    }

    private List<X509Certificate> peerCertificates() {
        SslHandler ssl = channel.pipeline().get(SslHandler.class);
        if (ssl == null) {
            return List.of();
        }
        try {
            List<X509Certificate> chain = new ArrayList<>();
            for (Certificate c : ssl.engine().getSession().getPeerCertificates()) {
                if (c instanceof X509Certificate x) {
                    chain.add(x);
                }
            }
            return chain;
        } catch (SSLPeerUnverifiedException e) {
            return List.of();
        }
    }

    private void onAuthenticated(Offer offer, Optional<Authenticated> auth, Throwable error) {
        if (connection.state() != Connection.State.AUTHENTICATING) {
            return;
        }
        ConnectRequest request = offer.request();
        String remote = connection.remote();
        if (error != null) {
            server.refusals.log("auth-error " + Connection.hostOf(remote), System.nanoTime(), suppressed -> LOG.warn(
                    "iothub-authentication-failed client=\"{}\" remote={} error=\"{}\" suppressedSinceLast={}",
                    PropertyBag.abbreviate(request.clientId()), remote, HostCalls.message(error), suppressed));
            refuse(notAuthorized(), "authentication failed");
            return;
        }
        if (auth == null || auth.isEmpty()) {
            refuse(notAuthorized(), null);
            return;
        }
        ClientIdentity who = auth.get().identity();
        if (!who.name().equals(request.clientId())) {
            refuse(MqttConnectReturnCode.CONNECTION_REFUSED_IDENTIFIER_REJECTED,
                    "the client id is not the authenticated identity " + who);
            return;
        }
        Instant now = server.clock.instant();
        if (auth.get().expiresAt().isPresent() && !auth.get().expiresAt().get().isAfter(now)) {
            refuse(notAuthorized(), "credential expired");
            return;
        }
        IotMessage will = null;
        if (offer.willTopic() != null) {
            if (!(Topics.classify(who, offer.willTopic()) instanceof Topics.Telemetry telemetry)) {
                refuse(notAuthorized(), "the will topic is not the client's own telemetry topic");
                return;
            }
            try {
                will = PropertyBag.decode(telemetry.bag(), offer.willBody() == null ? new byte[0] : offer.willBody());
            } catch (IllegalArgumentException e) {
                refuse(notAuthorized(), "will property bag: " + e.getMessage());
                return;
            }
        }
        cancel();
        connection.accept(who, auth.get().expiresAt(), now, will, offer.keepAlive(), offer.receiveMaximum());
        List<Object> replay = new ArrayList<>(held);
        held.clear();
        for (Object packet : replay) {
            try {
                if (connection.state() == Connection.State.CONNECTED) {
                    connection.dispatch((MqttMessage) packet);
                }
            } finally {
                ReferenceCountUtil.release(packet);
            }
        }
    }

    private MqttConnectReturnCode notAuthorized() {
        return connection.protocolLevel() == 5 ? MqttConnectReturnCode.CONNECTION_REFUSED_NOT_AUTHORIZED_5
                : MqttConnectReturnCode.CONNECTION_REFUSED_NOT_AUTHORIZED;
    }

    /**
     * Refuses the CONNECT with a CONNACK carrying the code (translated to MQTT 5's where the client speaks it) and
     * closes; {@code why} is logged (rate-limited) unless null.
     */
    void refuse(MqttConnectReturnCode code, String why) {
        String remote = connection.remote();
        if (why != null) {
            server.refusals.log("connect " + Connection.hostOf(remote), System.nanoTime(), suppressed -> LOG.warn(
                    "iothub-connect-refused remote={} code={} reason=\"{}\" suppressedSinceLast={}", remote, code,
                    why, suppressed));
        }
        connection.refused();
        boolean mqtt5 = connection.protocolLevel() == 5;
        MqttConnectReturnCode answer = code;
        if (mqtt5) {
            answer = switch (code) {
                case CONNECTION_REFUSED_UNACCEPTABLE_PROTOCOL_VERSION ->
                        MqttConnectReturnCode.CONNECTION_REFUSED_UNSUPPORTED_PROTOCOL_VERSION;
                case CONNECTION_REFUSED_IDENTIFIER_REJECTED ->
                        MqttConnectReturnCode.CONNECTION_REFUSED_CLIENT_IDENTIFIER_NOT_VALID;
                case CONNECTION_REFUSED_NOT_AUTHORIZED -> MqttConnectReturnCode.CONNECTION_REFUSED_NOT_AUTHORIZED_5;
                case CONNECTION_REFUSED_QOS_NOT_SUPPORTED -> MqttConnectReturnCode.CONNECTION_REFUSED_QOS_NOT_SUPPORTED;
                case CONNECTION_REFUSED_SERVER_UNAVAILABLE ->
                        MqttConnectReturnCode.CONNECTION_REFUSED_SERVER_UNAVAILABLE_5;
                default -> code;
            };
        } else if (code == MqttConnectReturnCode.CONNECTION_REFUSED_QOS_NOT_SUPPORTED) {
            answer = MqttConnectReturnCode.CONNECTION_REFUSED_NOT_AUTHORIZED;
        }
        channel.writeAndFlush(connAck(answer, mqtt5, server.settings)).addListener(ChannelFutureListener.CLOSE);
    }

    /** A CONNACK; an accepting one to an MQTT 5 client names the server's limits and what it does not offer. */
    static MqttConnAckMessage connAck(MqttConnectReturnCode code, boolean mqtt5, DialectSettings settings) {
        MqttMessageBuilders.ConnAckBuilder builder = MqttMessageBuilders.connAck().returnCode(code)
                .sessionPresent(false);
        if (mqtt5 && code == MqttConnectReturnCode.CONNECTION_ACCEPTED) {
            MqttProperties properties = new MqttProperties();
            properties.add(new MqttProperties.IntegerProperty(
                    MqttProperties.MqttPropertyType.RECEIVE_MAXIMUM.value(), settings.maxInflightIn()));
            properties.add(new MqttProperties.IntegerProperty(
                    MqttProperties.MqttPropertyType.MAXIMUM_QOS.value(), 1));
            properties.add(new MqttProperties.IntegerProperty(
                    MqttProperties.MqttPropertyType.RETAIN_AVAILABLE.value(), 0));
            properties.add(new MqttProperties.IntegerProperty(
                    MqttProperties.MqttPropertyType.MAXIMUM_PACKET_SIZE.value(), settings.maxPacketBytes()));
            properties.add(new MqttProperties.IntegerProperty(
                    MqttProperties.MqttPropertyType.SUBSCRIPTION_IDENTIFIER_AVAILABLE.value(), 0));
            properties.add(new MqttProperties.IntegerProperty(
                    MqttProperties.MqttPropertyType.SHARED_SUBSCRIPTION_AVAILABLE.value(), 0));
            builder.properties(properties);
        }
        return builder.build();
    }

    private void cancel() {
        if (connectTimer != null) {
            connectTimer.cancel(false);
        }
    }
}

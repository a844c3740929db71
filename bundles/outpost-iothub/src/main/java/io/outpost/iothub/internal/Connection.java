package io.outpost.iothub.internal;

import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.codec.TooLongFrameException;
import io.netty.handler.codec.mqtt.MqttConnAckMessage;
import io.netty.handler.codec.mqtt.MqttConnectMessage;
import io.netty.handler.codec.mqtt.MqttConnectReturnCode;
import io.netty.handler.codec.mqtt.MqttFixedHeader;
import io.netty.handler.codec.mqtt.MqttIdentifierRejectedException;
import io.netty.handler.codec.mqtt.MqttMessage;
import io.netty.handler.codec.mqtt.MqttMessageBuilders;
import io.netty.handler.codec.mqtt.MqttMessageIdAndPropertiesVariableHeader;
import io.netty.handler.codec.mqtt.MqttMessageIdVariableHeader;
import io.netty.handler.codec.mqtt.MqttMessageType;
import io.netty.handler.codec.mqtt.MqttProperties;
import io.netty.handler.codec.mqtt.MqttPubReplyMessageVariableHeader;
import io.netty.handler.codec.mqtt.MqttPublishMessage;
import io.netty.handler.codec.mqtt.MqttQoS;
import io.netty.handler.codec.mqtt.MqttReasonCodeAndPropertiesVariableHeader;
import io.netty.handler.codec.mqtt.MqttSubAckMessage;
import io.netty.handler.codec.mqtt.MqttSubAckPayload;
import io.netty.handler.codec.mqtt.MqttSubscribeMessage;
import io.netty.handler.codec.mqtt.MqttTopicSubscription;
import io.netty.handler.codec.mqtt.MqttUnacceptableProtocolVersionException;
import io.netty.handler.codec.mqtt.MqttUnsubscribeMessage;
import io.netty.handler.ssl.SslHandler;
import io.netty.handler.timeout.IdleStateEvent;
import io.netty.handler.timeout.IdleStateHandler;
import io.netty.util.ReferenceCountUtil;
import io.netty.util.concurrent.ScheduledFuture;
import io.outpost.iothub.Authenticated;
import io.outpost.iothub.ClientIdentity;
import io.outpost.iothub.ConnectRequest;
import io.outpost.iothub.ConnectedClient;
import io.outpost.iothub.DialectException;
import io.outpost.iothub.IotMessage;
import io.outpost.iothub.MethodResult;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.nio.charset.StandardCharsets;
import java.security.cert.Certificate;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.SSLPeerUnverifiedException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One client connection: CONNECT and authentication, then the dialect. Everything but the public delivery
 * methods runs on the channel's event loop; those hop onto it. Memory per connection is bounded: at most
 * {@code maxInflightIn} PUBLISHes and {@value #MAX_INFLIGHT_IN_BYTES} bytes of their payloads in processing (reading
 * pauses beyond), {@code maxInflightOut} deliveries awaiting PUBACK and as many waiting for room,
 * {@code maxPendingMethods} method calls, {@value #MAX_SUBSCRIPTIONS} subscriptions and
 * {@value #MAX_HELD} packets held while the host authenticates. Before the CONNACK a packet may be at most
 * {@code maxConnectPacketBytes} long, and nothing is read while the host authenticates.
 */
final class Connection extends ChannelInboundHandlerAdapter {

    static final int MAX_SUBSCRIPTIONS = 32;
    /** Payload bytes of one client's PUBLISHes being processed at once before the server stops reading from it. */
    static final int MAX_INFLIGHT_IN_BYTES = 1024 * 1024;
    static final int MAX_HELD = 32;
    /** Keep-alive used for a client that asks for none (0): the connection closes after this much silence. */
    static final int NO_KEEP_ALIVE_IDLE_SECONDS = 1800;
    /**
     * Credentials expiring further ahead get no expiry timer (the connection then lasts until either side closes
     * it); far below the delay at which a timer's arithmetic overflows.
     */
    static final Duration MAX_EXPIRY_DELAY = Duration.ofDays(36_500);
    private static final Logger LOG = LoggerFactory.getLogger(Connection.class);

    private enum State { AWAIT_CONNECT, AUTHENTICATING, CONNECTED, CLOSED }

    private final Server server;
    private final Channel channel;
    private final boolean tls;
    private final String remote;
    private final Duration connectDeadline;
    private State state = State.AWAIT_CONNECT;
    private boolean unauthenticated = true;
    private int protocolLevel = 4;
    private volatile ClientIdentity identity;
    private Optional<Instant> expiresAt = Optional.empty();
    private Instant connectedSince;
    private ScheduledFuture<?> connectTimer;
    private ScheduledFuture<?> expiryTimer;
    private final Map<String, Integer> subscriptions = new ConcurrentHashMap<>();
    private final ArrayDeque<InboundOp> inbound = new ArrayDeque<>();
    /** Payload bytes of the PUBLISHes in {@link #inbound}. */
    private long inboundBytes;
    private final List<Object> held = new ArrayList<>();
    private final Map<Integer, Pending> outbound = new HashMap<>();
    /** QoS 1 deliveries waiting for the window, at most maxInflightOut of them. */
    private final ArrayDeque<Waiting> waiting = new ArrayDeque<>();
    private final Map<String, PendingMethod> methods = new HashMap<>();
    private int nextPacketId = 1;
    private long nextRid = 1;
    private int clientReceiveMaximum = 65_535;
    private IotMessage will;
    private boolean graceful;
    private String closeReason = "closed-by-client";

    /** A PUBLISH from the client being processed; acknowledged in arrival order. */
    private static final class InboundOp {
        final int packetId;
        final boolean qos1;
        final int bytes;
        boolean done;
        byte reason;
        boolean failed;
        Runnable then;

        InboundOp(int packetId, boolean qos1, int bytes) {
            this.packetId = packetId;
            this.qos1 = qos1;
            this.bytes = bytes;
        }
    }

    private record Pending(CompletableFuture<Void> future, ScheduledFuture<?> timeout) {
    }

    /** A QoS 1 delivery waiting for room in the client's window. */
    private record Waiting(String topic, byte[] body, CompletableFuture<Void> result) {
    }

    private record PendingMethod(CompletableFuture<MethodResult> future, ScheduledFuture<?> timeout) {
    }

    Connection(Server server, Channel channel, boolean tls, Duration connectDeadline) {
        this.server = server;
        this.channel = channel;
        this.tls = tls;
        this.connectDeadline = connectDeadline;
        SocketAddress address = channel.remoteAddress();
        this.remote = address instanceof InetSocketAddress inet
                ? inet.getAddress().getHostAddress() + ":" + inet.getPort() : String.valueOf(address);
    }

    ClientIdentity identity() {
        return identity;
    }

    /** Stops counting this connection among the unauthenticated ones of the server (once; on the event loop). */
    void leaveUnauthenticated() {
        if (unauthenticated) {
            unauthenticated = false;
            server.leftUnauthenticated();
        }
    }

    String remote() {
        return remote;
    }

    ConnectedClient describe() {
        return new ConnectedClient(identity, protocolLevel == 5 ? "MQTT 5" : "MQTT 3.1.1", tls, remote,
                connectedSince == null ? Instant.EPOCH : connectedSince, expiresAt, subscriptions.keySet());
    }

    // ---- lifecycle

    @Override
    public void channelActive(ChannelHandlerContext ctx) throws Exception {
        connectTimer = channel.eventLoop().schedule(() -> {
            if (state != State.CONNECTED && state != State.CLOSED) {
                closeReason = "connect-timeout";
                channel.close();
            }
        }, connectDeadline.toMillis(), TimeUnit.MILLISECONDS);
        super.channelActive(ctx);
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) throws Exception {
        State was = state;
        state = State.CLOSED;
        cancel(connectTimer);
        cancel(expiryTimer);
        held.forEach(ReferenceCountUtil::release);
        held.clear();
        inbound.clear();
        inboundBytes = 0;
        for (Pending p : outbound.values()) {
            cancel(p.timeout());
            p.future().completeExceptionally(new DialectException(DialectException.NOT_CONNECTED,
                    identity + " disconnected before acknowledging"));
        }
        outbound.clear();
        for (Waiting w : waiting) {
            w.result().completeExceptionally(new DialectException(DialectException.NOT_CONNECTED,
                    identity + " disconnected before the message was sent"));
        }
        waiting.clear();
        for (PendingMethod m : methods.values()) {
            cancel(m.timeout());
            m.future().complete(MethodResult.error(MethodResult.NOT_CONNECTED, identity + " disconnected"));
        }
        methods.clear();
        if (was == State.CONNECTED) {
            server.unregister(this);
            if (!graceful && will != null) {
                IotMessage lastWill = will;
                try {
                    server.host.telemetry(identity, lastWill).whenComplete((v, e) -> {
                        if (e != null) {
                            LOG.warn("iothub-will-not-taken client={} error=\"{}\"", identity, message(e));
                        }
                    });
                } catch (RuntimeException e) {
                    LOG.warn("iothub-will-not-taken client={} error=\"{}\"", identity, e.getMessage());
                }
            }
            LOG.info("iothub-client-disconnected client={} remote={} reason={}", identity, remote,
                    graceful ? "disconnect" : closeReason);
            try {
                server.host.disconnected(describe());
            } catch (RuntimeException e) {
                LOG.warn("iothub-host-disconnected-failed client={}", identity, e);
            }
        }
        super.channelInactive(ctx);
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        String error = cause.getClass().getSimpleName() + ": " + cause.getMessage();
        server.refusals.log("error " + hostOf(remote), System.nanoTime(), suppressed -> LOG.info(
                "iothub-connection-error remote={} client={} error=\"{}\" suppressedSinceLast={}", remote,
                identity == null ? "" : identity.name(), PropertyBag.abbreviate(error), suppressed));
        closeReason = "error";
        ctx.close();
    }

    @Override
    public void userEventTriggered(ChannelHandlerContext ctx, Object event) throws Exception {
        if (event instanceof IdleStateEvent) {
            closeReason = "keep-alive-expired";
            ctx.close();
            return;
        }
        super.userEventTriggered(ctx, event);
    }

    /** Closes from any thread. */
    void closeBy(String reason) {
        onLoop(() -> {
            closeReason = reason;
            channel.close();
        });
    }

    void closeTakenOver() {
        onLoop(() -> {
            closeReason = "taken-over";
            if (protocolLevel == 5 && state == State.CONNECTED) {
                channel.writeAndFlush(disconnect((byte) 0x8E)).addListener(ChannelFutureListener.CLOSE);
            } else {
                channel.close();
            }
        });
    }

    // ---- reading

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        boolean release = true;
        try {
            if (state == State.CLOSED) {
                return;
            }
            if (!(msg instanceof MqttMessage packet)) {
                channel.close();
                return;
            }
            if (packet.decoderResult().isFailure()) {
                onMalformed(packet.decoderResult().cause());
                return;
            }
            MqttMessageType type = packet.fixedHeader().messageType();
            switch (state) {
                case AWAIT_CONNECT -> {
                    if (type != MqttMessageType.CONNECT) {
                        violation("first packet is " + type + ", not CONNECT");
                        return;
                    }
                    onConnect((MqttConnectMessage) packet);
                }
                case AUTHENTICATING -> {
                    if (held.size() >= MAX_HELD) {
                        violation("more than " + MAX_HELD + " packets before CONNACK");
                        return;
                    }
                    held.add(msg);
                    release = false;
                }
                case CONNECTED -> dispatch(packet);
                default -> {
                }
            }
        } finally {
            if (release) {
                ReferenceCountUtil.release(msg);
            }
        }
    }

    private void onMalformed(Throwable cause) {
        if (state == State.AWAIT_CONNECT && cause instanceof MqttUnacceptableProtocolVersionException) {
            refuseConnect(MqttConnectReturnCode.CONNECTION_REFUSED_UNACCEPTABLE_PROTOCOL_VERSION,
                    "unsupported MQTT version");
            return;
        }
        if (state == State.AWAIT_CONNECT && cause instanceof MqttIdentifierRejectedException) {
            refuseConnect(MqttConnectReturnCode.CONNECTION_REFUSED_IDENTIFIER_REJECTED, "client id rejected");
            return;
        }
        String error = cause == null ? "" : cause.getClass().getSimpleName() + ": " + cause.getMessage();
        server.refusals.log("malformed " + hostOf(remote), System.nanoTime(), suppressed -> LOG.warn(
                "iothub-malformed-packet remote={} client={} error=\"{}\" suppressedSinceLast={}", remote,
                identity == null ? "" : identity.name(), PropertyBag.abbreviate(error), suppressed));
        closeReason = "malformed-packet";
        if (protocolLevel == 5 && state == State.CONNECTED) {
            byte reason = cause instanceof TooLongFrameException ? (byte) 0x95 : (byte) 0x81;
            channel.writeAndFlush(disconnect(reason)).addListener(ChannelFutureListener.CLOSE);
        } else {
            channel.close();
        }
    }

    private void violation(String what) {
        server.refusals.log("violation " + hostOf(remote), System.nanoTime(), suppressed -> LOG.warn(
                "iothub-protocol-violation remote={} client={} detail=\"{}\" suppressedSinceLast={}", remote,
                identity == null ? "" : identity.name(), what, suppressed));
        closeReason = "protocol-violation";
        if (protocolLevel == 5 && state == State.CONNECTED) {
            channel.writeAndFlush(disconnect((byte) 0x82)).addListener(ChannelFutureListener.CLOSE);
        } else {
            channel.close();
        }
    }

    // ---- CONNECT

    private void onConnect(MqttConnectMessage connect) {
        int version = connect.variableHeader().version();
        if (version != 4 && version != 5) {
            refuseConnect(MqttConnectReturnCode.CONNECTION_REFUSED_UNACCEPTABLE_PROTOCOL_VERSION,
                    "MQTT protocol level " + version + " (3.1.1 and 5 are served)");
            return;
        }
        protocolLevel = version;
        if (version == 5) {
            MqttProperties.MqttProperty<?> receiveMax = connect.variableHeader().properties()
                    .getProperty(MqttProperties.MqttPropertyType.RECEIVE_MAXIMUM.value());
            if (receiveMax != null && receiveMax.value() instanceof Integer max && max > 0) {
                clientReceiveMaximum = max;
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
                refuseConnect(MqttConnectReturnCode.CONNECTION_REFUSED_QOS_NOT_SUPPORTED, "will QoS 2");
                return;
            }
            willTopic = connect.payload().willTopic();
            willBody = connect.payload().willMessageInBytes();
        }
        ConnectRequest request = new ConnectRequest(clientId == null ? "" : clientId, username, password,
                peerCertificates(), remote, tls, version);
        if (!server.beginAuthentication()) {
            refuseConnect(MqttConnectReturnCode.CONNECTION_REFUSED_SERVER_UNAVAILABLE,
                    "more than " + server.settings.maxPendingAuthentications() + " authentications pending");
            return;
        }
        state = State.AUTHENTICATING;
        // nothing more is read until the host decided: a client waiting for its CONNACK holds no more memory
        channel.config().setAutoRead(false);
        int keepAlive = connect.variableHeader().keepAliveTimeSeconds();
        String finalWillTopic = willTopic;
        byte[] finalWillBody = willBody;
        CompletionStage<Optional<Authenticated>> result;
        try {
            result = server.host.authenticate(request);
        } catch (RuntimeException e) {
            result = CompletableFuture.failedFuture(e);
        }
        result.whenComplete((auth, error) -> {
            server.endAuthentication();
            onLoop(() -> {
                try {
                    onAuthenticated(request, auth, error, keepAlive, finalWillTopic, finalWillBody);
                } catch (RuntimeException e) {
                    LOG.warn("iothub-connect-failed client=\"{}\" remote={}", PropertyBag.abbreviate(request.clientId()),
                            remote, e);
                    closeReason = "connect-failed";
                    channel.close();
                }
            });
        });
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

    private void onAuthenticated(ConnectRequest request, Optional<Authenticated> auth, Throwable error, int keepAlive,
            String willTopic, byte[] willBody) {
        if (state != State.AUTHENTICATING) {
            return;
        }
        if (error != null) {
            server.refusals.log("auth-error " + hostOf(remote), System.nanoTime(), suppressed -> LOG.warn(
                    "iothub-authentication-failed client=\"{}\" remote={} error=\"{}\" suppressedSinceLast={}",
                    PropertyBag.abbreviate(request.clientId()), remote, message(error), suppressed));
            refuseConnect(notAuthorized(), "authentication failed");
            return;
        }
        if (auth == null || auth.isEmpty()) {
            refuseConnect(notAuthorized(), null);
            return;
        }
        ClientIdentity who = auth.get().identity();
        if (!who.name().equals(request.clientId())) {
            refuseConnect(MqttConnectReturnCode.CONNECTION_REFUSED_IDENTIFIER_REJECTED,
                    "the client id is not the authenticated identity " + who);
            return;
        }
        Instant now = server.clock.instant();
        if (auth.get().expiresAt().isPresent() && !auth.get().expiresAt().get().isAfter(now)) {
            refuseConnect(notAuthorized(), "credential expired");
            return;
        }
        if (willTopic != null) {
            if (!(Topics.classify(who, willTopic) instanceof Topics.Telemetry telemetry)) {
                refuseConnect(notAuthorized(), "the will topic is not the client's own telemetry topic");
                return;
            }
            try {
                will = PropertyBag.decode(telemetry.bag(), willBody == null ? new byte[0] : willBody);
            } catch (IllegalArgumentException e) {
                refuseConnect(notAuthorized(), "will property bag: " + e.getMessage());
                return;
            }
        }
        identity = who;
        expiresAt = auth.get().expiresAt();
        connectedSince = now;
        cancel(connectTimer);
        leaveUnauthenticated();
        expiresAt.filter(at -> Duration.between(now, at).compareTo(MAX_EXPIRY_DELAY) <= 0)
                .ifPresent(at -> expiryTimer = channel.eventLoop().schedule(() -> {
            LOG.info("iothub-credential-expired client={} remote={} expiredAt={}", identity, remote, at);
            closeReason = "credential-expired";
            if (protocolLevel == 5) {
                channel.writeAndFlush(disconnect((byte) 0x87)).addListener(ChannelFutureListener.CLOSE);
            } else {
                channel.close();
            }
        }, Math.max(0, Duration.between(now, at).toMillis()), TimeUnit.MILLISECONDS));
        int idle = keepAlive > 0 ? (int) Math.ceil(keepAlive * 1.5) : NO_KEEP_ALIVE_IDLE_SECONDS;
        channel.pipeline().addBefore("dialect", "idle", new IdleStateHandler(idle, 0, 0));
        channel.pipeline().replace(Server.DECODER, Server.DECODER, server.acceptedDecoder());
        state = State.CONNECTED;
        channel.config().setAutoRead(true);
        channel.writeAndFlush(connAck(MqttConnectReturnCode.CONNECTION_ACCEPTED));
        server.register(this);
        LOG.info("iothub-client-connected client={} remote={} protocol={} tls={}", identity, remote,
                protocolLevel == 5 ? "mqtt5" : "mqtt3.1.1", tls);
        try {
            server.host.connected(describe());
        } catch (RuntimeException e) {
            LOG.warn("iothub-host-connected-failed client={}", identity, e);
        }
        List<Object> replay = new ArrayList<>(held);
        held.clear();
        for (Object packet : replay) {
            try {
                if (state == State.CONNECTED) {
                    dispatch((MqttMessage) packet);
                }
            } finally {
                ReferenceCountUtil.release(packet);
            }
        }
    }

    private MqttConnectReturnCode notAuthorized() {
        return protocolLevel == 5 ? MqttConnectReturnCode.CONNECTION_REFUSED_NOT_AUTHORIZED_5
                : MqttConnectReturnCode.CONNECTION_REFUSED_NOT_AUTHORIZED;
    }

    private void refuseConnect(MqttConnectReturnCode code, String why) {
        if (why != null) {
            server.refusals.log("connect " + hostOf(remote), System.nanoTime(), suppressed -> LOG.warn(
                    "iothub-connect-refused remote={} code={} reason=\"{}\" suppressedSinceLast={}", remote, code,
                    why, suppressed));
        }
        state = State.CLOSED;
        closeReason = "connect-refused";
        MqttConnectReturnCode answer = code;
        if (protocolLevel == 5) {
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
        channel.writeAndFlush(connAck(answer)).addListener(ChannelFutureListener.CLOSE);
    }

    private MqttConnAckMessage connAck(MqttConnectReturnCode code) {
        MqttMessageBuilders.ConnAckBuilder builder = MqttMessageBuilders.connAck().returnCode(code)
                .sessionPresent(false);
        if (protocolLevel == 5 && code == MqttConnectReturnCode.CONNECTION_ACCEPTED) {
            MqttProperties properties = new MqttProperties();
            properties.add(new MqttProperties.IntegerProperty(
                    MqttProperties.MqttPropertyType.RECEIVE_MAXIMUM.value(), server.settings.maxInflightIn()));
            properties.add(new MqttProperties.IntegerProperty(
                    MqttProperties.MqttPropertyType.MAXIMUM_QOS.value(), 1));
            properties.add(new MqttProperties.IntegerProperty(
                    MqttProperties.MqttPropertyType.RETAIN_AVAILABLE.value(), 0));
            properties.add(new MqttProperties.IntegerProperty(
                    MqttProperties.MqttPropertyType.MAXIMUM_PACKET_SIZE.value(), server.settings.maxPacketBytes()));
            properties.add(new MqttProperties.IntegerProperty(
                    MqttProperties.MqttPropertyType.SUBSCRIPTION_IDENTIFIER_AVAILABLE.value(), 0));
            properties.add(new MqttProperties.IntegerProperty(
                    MqttProperties.MqttPropertyType.SHARED_SUBSCRIPTION_AVAILABLE.value(), 0));
            builder.properties(properties);
        }
        return builder.build();
    }

    // ---- packets of a connected client

    private void dispatch(MqttMessage packet) {
        switch (packet.fixedHeader().messageType()) {
            case PUBLISH -> onPublish((MqttPublishMessage) packet);
            case PUBACK -> onPubAck(packet);
            case SUBSCRIBE -> onSubscribe((MqttSubscribeMessage) packet);
            case UNSUBSCRIBE -> onUnsubscribe((MqttUnsubscribeMessage) packet);
            case PINGREQ -> channel.writeAndFlush(new MqttMessage(
                    new MqttFixedHeader(MqttMessageType.PINGRESP, false, MqttQoS.AT_MOST_ONCE, false, 0)));
            case DISCONNECT -> {
                graceful = true;
                channel.close();
            }
            case PUBREC, PUBREL, PUBCOMP -> violation("QoS 2 is not supported");
            default -> violation("unexpected " + packet.fixedHeader().messageType());
        }
    }

    private void onPublish(MqttPublishMessage publish) {
        MqttQoS qos = publish.fixedHeader().qosLevel();
        String topic = publish.variableHeader().topicName();
        if (qos == MqttQoS.EXACTLY_ONCE || qos == MqttQoS.FAILURE) {
            refusalLog("publish", topic, "QoS 2 is not supported");
            closeReason = "qos2-refused";
            if (protocolLevel == 5) {
                channel.writeAndFlush(disconnect((byte) 0x9B)).addListener(ChannelFutureListener.CLOSE);
            } else {
                channel.close();
            }
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
                    refusePublish(topic, "property bag: " + e.getMessage(), qos1, packetId);
                    return;
                }
                InboundOp op = begin(packetId, qos1, body.length);
                call(() -> server.host.telemetry(identity, message)).whenComplete((v, e) -> onLoop(() -> {
                    if (e != null) {
                        int status = status(e);
                        refusalLog("telemetry", topic, "not taken (" + status + "): " + message(e));
                        finish(op, status == 429 || status == 507 ? (byte) 0x97 : (byte) 0x80, true, null);
                    } else {
                        finish(op, (byte) 0, false, null);
                    }
                }));
        } else if (kind instanceof Topics.TwinGet get) {
                InboundOp op = begin(packetId, qos1, body.length);
                call(() -> server.host.getTwin(identity)).whenComplete((twin, e) -> onLoop(() -> finish(op, (byte) 0,
                        false, () -> {
                            if (e != null) {
                                sendTwinResponse(status(e), get.rid(), null, errorBody(e));
                            } else {
                                sendTwinResponse(200, get.rid(), null, twin.getBytes(StandardCharsets.UTF_8));
                            }
                        })));
        } else if (kind instanceof Topics.TwinPatchReported patch) {
                InboundOp op = begin(packetId, qos1, body.length);
                String json = new String(body, StandardCharsets.UTF_8);
                call(() -> server.host.patchReported(identity, json)).whenComplete((version, e) -> onLoop(() ->
                        finish(op, (byte) 0, false, () -> {
                            if (e != null) {
                                sendTwinResponse(status(e), patch.rid(), null, errorBody(e));
                            } else {
                                sendTwinResponse(204, patch.rid(), version, new byte[0]);
                            }
                        })));
        } else if (kind instanceof Topics.MethodResponse response) {
                PendingMethod pending = methods.remove(response.rid());
                if (pending != null) {
                    cancel(pending.timeout());
                    pending.future().complete(new MethodResult(response.status(), body));
                }
                InboundOp op = begin(packetId, qos1, body.length);
                finish(op, (byte) 0, false, null);
        } else {
            refusePublish(topic, ((Topics.Refused) kind).reason(), qos1, packetId);
        }
    }

    private void refusePublish(String topic, String reason, boolean qos1, int packetId) {
        refusalLog("publish", topic, reason);
        if (protocolLevel == 5 && qos1) {
            InboundOp op = begin(packetId, true, 0);
            finish(op, (byte) 0x87, false, null);
            return;
        }
        closeReason = "publish-refused";
        if (protocolLevel == 5) {
            channel.writeAndFlush(disconnect((byte) 0x87)).addListener(ChannelFutureListener.CLOSE);
        } else {
            channel.close();
        }
    }

    private void refusalLog(String what, String topic, String reason) {
        String client = identity == null ? remote : identity.name();
        server.refusals.log(what + " " + client, System.nanoTime(), suppressed -> LOG.warn(
                "iothub-{}-refused client={} remote={} topic=\"{}\" reason=\"{}\" suppressedSinceLast={}", what,
                client, remote, PropertyBag.abbreviate(topic), reason, suppressed));
    }

    /**
     * Takes a PUBLISH in; stops reading from the client while {@code maxInflightIn} PUBLISHes or
     * {@link #MAX_INFLIGHT_IN_BYTES} of their payloads are being processed, so one client holds a bounded amount of
     * memory however large its messages (a single larger one still goes through alone).
     */
    private InboundOp begin(int packetId, boolean qos1, int bytes) {
        InboundOp op = new InboundOp(packetId, qos1, bytes);
        inbound.add(op);
        inboundBytes += bytes;
        if (!roomForMore()) {
            channel.config().setAutoRead(false);
        }
        return op;
    }

    private boolean roomForMore() {
        return inbound.size() < server.settings.maxInflightIn() && inboundBytes < MAX_INFLIGHT_IN_BYTES;
    }

    private void finish(InboundOp op, byte reason, boolean failed, Runnable then) {
        op.done = true;
        op.reason = reason;
        op.failed = failed;
        op.then = then;
        drain();
    }

    /** Answers finished PUBLISHes in arrival order, and resumes reading once below the in-flight limit. */
    private void drain() {
        boolean wrote = false;
        while (state == State.CONNECTED && !inbound.isEmpty() && inbound.peek().done) {
            InboundOp op = inbound.poll();
            inboundBytes -= op.bytes;
            if (op.then != null) {
                op.then.run();
                wrote = true;
            }
            if (op.failed && protocolLevel < 5) {
                closeReason = "publish-not-taken";
                channel.close();
                return;
            }
            if (op.qos1) {
                MqttMessageBuilders.PubAckBuilder ack = MqttMessageBuilders.pubAck().packetId(op.packetId);
                if (protocolLevel == 5) {
                    ack.reasonCode(op.reason);
                }
                channel.write(ack.build());
                wrote = true;
            }
        }
        if (wrote) {
            channel.flush();
        }
        if (state == State.CONNECTED && roomForMore() && !channel.config().isAutoRead()) {
            channel.config().setAutoRead(true);
        }
    }

    private void sendTwinResponse(int status, String rid, Long version, byte[] body) {
        String topic = Topics.TWIN_RES_PREFIX + status + "/?$rid=" + rid + (version == null ? "" : "&$version=" + version);
        if (subscribedQos(topic) < 0) {
            refusalLog("twin-response", topic, "the client is not subscribed to " + Topics.TWIN_RES_PREFIX + "#");
            return;
        }
        channel.write(publish(topic, MqttQoS.AT_MOST_ONCE, 0, body));
    }

    private void onPubAck(MqttMessage ack) {
        int packetId;
        byte reason = 0;
        if (ack.variableHeader() instanceof MqttPubReplyMessageVariableHeader reply) {
            packetId = reply.messageId();
            reason = reply.reasonCode();
        } else if (ack.variableHeader() instanceof MqttMessageIdVariableHeader id) {
            packetId = id.messageId();
        } else {
            return;
        }
        Pending pending = outbound.remove(packetId);
        if (pending == null) {
            return;
        }
        cancel(pending.timeout());
        if ((reason & 0xff) >= 0x80) {
            pending.future().completeExceptionally(new DialectException(DialectException.REJECTED,
                    identity + " refused the message with reason 0x" + Integer.toHexString(reason & 0xff)));
        } else {
            pending.future().complete(null);
        }
        publishWaiting();
    }

    private void onSubscribe(MqttSubscribeMessage subscribe) {
        List<Integer> codes = new ArrayList<>();
        for (MqttTopicSubscription s : subscribe.payload().topicSubscriptions()) {
            String filter = s.topicName();
            Optional<String> refusal = Topics.subscribeRefusal(identity, filter);
            if (refusal.isEmpty() && !subscriptions.containsKey(filter) && subscriptions.size() >= MAX_SUBSCRIPTIONS) {
                refusal = Optional.of("more than " + MAX_SUBSCRIPTIONS + " subscriptions");
            }
            if (refusal.isPresent()) {
                refusalLog("subscribe", filter, refusal.get());
                codes.add(protocolLevel == 5 ? 0x87 : 0x80);
                continue;
            }
            int granted = Math.min(s.qualityOfService().value(), 1);
            subscriptions.put(filter, granted);
            codes.add(granted);
        }
        channel.writeAndFlush(new MqttSubAckMessage(
                new MqttFixedHeader(MqttMessageType.SUBACK, false, MqttQoS.AT_MOST_ONCE, false, 0),
                new MqttMessageIdAndPropertiesVariableHeader(subscribe.idAndPropertiesVariableHeader().messageId(),
                        MqttProperties.NO_PROPERTIES),
                new MqttSubAckPayload(codes)));
        for (int i = 0; i < codes.size(); i++) {
            if (codes.get(i) < 0x80) {
                String filter = subscribe.payload().topicSubscriptions().get(i).topicName();
                try {
                    server.host.subscribed(identity, filter);
                } catch (RuntimeException e) {
                    LOG.warn("iothub-host-subscribed-failed client={} filter=\"{}\"", identity, filter, e);
                }
            }
        }
    }

    private void onUnsubscribe(MqttUnsubscribeMessage unsubscribe) {
        MqttMessageBuilders.UnsubAckBuilder ack = MqttMessageBuilders.unsubAck()
                .packetId(unsubscribe.idAndPropertiesVariableHeader().messageId());
        for (String filter : unsubscribe.payload().topics()) {
            boolean existed = subscriptions.remove(filter) != null;
            ack.addReasonCode(existed ? (short) 0x00 : (short) 0x11);
        }
        channel.writeAndFlush(ack.build());
    }

    // ---- deliveries the host asks for (any thread)

    CompletionStage<Void> deliver(String topic, byte[] body) {
        CompletableFuture<Void> result = new CompletableFuture<>();
        onLoop(() -> {
            if (state != State.CONNECTED) {
                result.completeExceptionally(notConnected());
                return;
            }
            int qos = subscribedQos(topic);
            if (qos < 0) {
                result.completeExceptionally(new DialectException(DialectException.NOT_CONNECTED,
                        identity + " has no subscription for " + PropertyBag.abbreviate(topic)));
                return;
            }
            if (!channel.isWritable()) {
                result.completeExceptionally(new DialectException(DialectException.BUSY,
                        identity + " is not reading fast enough"));
                return;
            }
            if (qos == 0) {
                channel.writeAndFlush(publish(topic, MqttQoS.AT_MOST_ONCE, 0, body)).addListener(w -> {
                    if (w.isSuccess()) {
                        result.complete(null);
                    } else {
                        result.completeExceptionally(notConnected());
                    }
                });
                return;
            }
            if (outbound.size() < window()) {
                publishQos1(topic, body, result);
            } else if (waiting.size() < server.settings.maxInflightOut()) {
                waiting.add(new Waiting(topic, body, result));
            } else {
                result.completeExceptionally(new DialectException(DialectException.BUSY, identity + " has "
                        + outbound.size() + " deliveries awaiting PUBACK and " + waiting.size() + " waiting"));
            }
        });
        return result;
    }

    /** How many QoS 1 deliveries may await the client's PUBACK: its Receive Maximum, at most maxInflightOut. */
    private int window() {
        return Math.min(server.settings.maxInflightOut(), clientReceiveMaximum);
    }

    private void publishQos1(String topic, byte[] body, CompletableFuture<Void> result) {
        int packetId = nextPacketId();
        ScheduledFuture<?> timeout = channel.eventLoop().schedule(() -> {
            if (outbound.remove(packetId) != null) {
                result.completeExceptionally(new DialectException(DialectException.TIMEOUT,
                        identity + " did not acknowledge within " + server.settings.deliveryTimeout()));
                publishWaiting();
            }
        }, server.settings.deliveryTimeout().toMillis(), TimeUnit.MILLISECONDS);
        outbound.put(packetId, new Pending(result, timeout));
        channel.writeAndFlush(publish(topic, MqttQoS.AT_LEAST_ONCE, packetId, body)).addListener(w -> {
            if (!w.isSuccess() && outbound.remove(packetId) != null) {
                cancel(timeout);
                result.completeExceptionally(notConnected());
            }
        });
    }

    /** Publishes waiting deliveries, in the order they came, while the client's window has room. */
    private void publishWaiting() {
        while (state == State.CONNECTED && !waiting.isEmpty() && outbound.size() < window()) {
            Waiting w = waiting.poll();
            publishQos1(w.topic(), w.body(), w.result());
        }
    }

    CompletionStage<Void> pushDesired(long version, String patchJson) {
        CompletableFuture<Void> result = new CompletableFuture<>();
        onLoop(() -> {
            String topic = Topics.TWIN_DESIRED_PREFIX + "?$version=" + version;
            if (state != State.CONNECTED || subscribedQos(topic) < 0) {
                result.completeExceptionally(new DialectException(DialectException.NOT_CONNECTED,
                        identity + " is not subscribed to desired property updates"));
                return;
            }
            channel.writeAndFlush(publish(topic, MqttQoS.AT_MOST_ONCE, 0, patchJson.getBytes(StandardCharsets.UTF_8)))
                    .addListener(w -> {
                        if (w.isSuccess()) {
                            result.complete(null);
                        } else {
                            result.completeExceptionally(notConnected());
                        }
                    });
        });
        return result;
    }

    CompletionStage<MethodResult> invokeMethod(String method, byte[] payload, Duration timeout) {
        CompletableFuture<MethodResult> result = new CompletableFuture<>();
        onLoop(() -> {
            String rid = Long.toHexString(nextRid++);
            String topic = Topics.METHODS_POST_PREFIX + method + "/?$rid=" + rid;
            if (state != State.CONNECTED || subscribedQos(topic) < 0) {
                result.complete(MethodResult.error(MethodResult.NOT_CONNECTED,
                        identity + " is not subscribed to direct methods"));
                return;
            }
            if (methods.size() >= server.settings.maxPendingMethods()) {
                result.complete(MethodResult.error(MethodResult.BUSY,
                        identity + " has " + methods.size() + " method calls waiting for an answer"));
                return;
            }
            ScheduledFuture<?> timer = channel.eventLoop().schedule(() -> {
                if (methods.remove(rid) != null) {
                    result.complete(MethodResult.error(MethodResult.TIMEOUT,
                            identity + " did not answer " + method + " within " + timeout));
                }
            }, timeout.toMillis(), TimeUnit.MILLISECONDS);
            methods.put(rid, new PendingMethod(result, timer));
            channel.writeAndFlush(publish(topic, MqttQoS.AT_MOST_ONCE, 0, payload)).addListener(w -> {
                if (!w.isSuccess() && methods.remove(rid) != null) {
                    cancel(timer);
                    result.complete(MethodResult.error(MethodResult.NOT_CONNECTED, identity + " disconnected"));
                }
            });
        });
        return result;
    }

    /** The highest QoS of the client's subscriptions matching the topic; -1 when none matches. */
    private int subscribedQos(String topic) {
        int best = -1;
        for (Map.Entry<String, Integer> s : subscriptions.entrySet()) {
            if (Topics.matches(s.getKey(), topic)) {
                best = Math.max(best, s.getValue());
            }
        }
        return best;
    }

    private int nextPacketId() {
        for (int i = 0; i < 65_535; i++) {
            int id = nextPacketId;
            nextPacketId = nextPacketId == 65_535 ? 1 : nextPacketId + 1;
            if (!outbound.containsKey(id)) {
                return id;
            }
        }
        throw new IllegalStateException("no free packet id");
    }

    // ---- helpers

    private MqttPublishMessage publish(String topic, MqttQoS qos, int packetId, byte[] body) {
        return MqttMessageBuilders.publish().topicName(topic).qos(qos).messageId(packetId).retained(false)
                .payload(Unpooled.wrappedBuffer(body)).build();
    }

    private static MqttMessage disconnect(byte reason) {
        return new MqttMessage(new MqttFixedHeader(MqttMessageType.DISCONNECT, false, MqttQoS.AT_MOST_ONCE, false, 0),
                new MqttReasonCodeAndPropertiesVariableHeader(reason, MqttProperties.NO_PROPERTIES));
    }

    private DialectException notConnected() {
        return new DialectException(DialectException.NOT_CONNECTED, identity + " is not connected");
    }

    private void onLoop(Runnable task) {
        try {
            if (channel.eventLoop().inEventLoop()) {
                task.run();
            } else {
                channel.eventLoop().execute(task);
            }
        } catch (RejectedExecutionException e) {
            LOG.debug("iothub-task-dropped reason=server-stopping");
        }
    }

    private static <T> CompletionStage<T> call(java.util.function.Supplier<CompletionStage<T>> hostCall) {
        try {
            CompletionStage<T> stage = hostCall.get();
            return stage == null ? CompletableFuture.failedFuture(new IllegalStateException("the host returned null"))
                    : stage;
        } catch (RuntimeException e) {
            return CompletableFuture.failedFuture(e);
        }
    }

    private static int status(Throwable e) {
        Throwable cause = unwrap(e);
        return cause instanceof DialectException d ? d.status() : 500;
    }

    private static String message(Throwable e) {
        Throwable cause = unwrap(e);
        return cause.getMessage() == null ? cause.getClass().getSimpleName() : cause.getMessage();
    }

    private static byte[] errorBody(Throwable e) {
        return MethodResult.error(status(e), message(e)).payload();
    }

    private static Throwable unwrap(Throwable e) {
        Throwable t = e;
        while (t instanceof CompletionException && t.getCause() != null) {
            t = t.getCause();
        }
        return t;
    }

    private static void cancel(ScheduledFuture<?> f) {
        if (f != null) {
            f.cancel(false);
        }
    }

    private static String hostOf(String remote) {
        int colon = remote.lastIndexOf(':');
        return colon > 0 ? remote.substring(0, colon) : remote;
    }
}

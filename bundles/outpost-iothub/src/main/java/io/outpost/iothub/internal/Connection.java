package io.outpost.iothub.internal;

import io.netty.channel.Channel;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.codec.TooLongFrameException;
import io.netty.handler.codec.mqtt.MqttConnectMessage;
import io.netty.handler.codec.mqtt.MqttConnectReturnCode;
import io.netty.handler.codec.mqtt.MqttIdentifierRejectedException;
import io.netty.handler.codec.mqtt.MqttMessage;
import io.netty.handler.codec.mqtt.MqttMessageIdVariableHeader;
import io.netty.handler.codec.mqtt.MqttMessageType;
import io.netty.handler.codec.mqtt.MqttPubReplyMessageVariableHeader;
import io.netty.handler.codec.mqtt.MqttPublishMessage;
import io.netty.handler.codec.mqtt.MqttQoS;
import io.netty.handler.codec.mqtt.MqttSubscribeMessage;
import io.netty.handler.codec.mqtt.MqttUnacceptableProtocolVersionException;
import io.netty.handler.codec.mqtt.MqttUnsubscribeMessage;
import io.netty.handler.timeout.IdleStateEvent;
import io.netty.handler.timeout.IdleStateHandler;
import io.netty.util.ReferenceCountUtil;
import io.netty.util.concurrent.ScheduledFuture;
import io.outpost.iothub.ClientIdentity;
import io.outpost.iothub.ConnectedClient;
import io.outpost.iothub.DialectException;
import io.outpost.iothub.IotMessage;
import io.outpost.iothub.MethodResult;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One client connection, as the channel's handler: its lifecycle (AWAIT_CONNECT, AUTHENTICATING, CONNECTED, CLOSED),
 * each packet routed by that state, the keep-alive and credential expiry timers, closing with a reason (and an
 * MQTT 5 DISCONNECT reason code), the will, and the host's deliveries hopping onto the event loop. The work itself is
 * done by one object per job: {@link Handshake} up to the CONNACK; then {@link ClientPublishes} and
 * {@link InboundFlow} for the client's PUBLISHes, {@link Subscriptions}, {@link OutboundWindow} for QoS 1
 * deliveries and {@link MethodCalls} for direct methods. Everything but the public delivery methods runs on the
 * channel's event loop (no locks). Memory per connection is bounded: at most {@code maxInflightIn} PUBLISHes and
 * {@value #MAX_INFLIGHT_IN_BYTES} bytes of their payloads in processing (reading pauses beyond),
 * {@code maxInflightOut} deliveries awaiting PUBACK and as many waiting for room, {@code maxPendingMethods} method
 * calls, {@value Subscriptions#MAX_SUBSCRIPTIONS} subscriptions and {@value Handshake#MAX_HELD} packets held while
 * the host authenticates. Before the CONNACK a packet may be at most {@code maxConnectPacketBytes} long, and nothing
 * is read while the host authenticates.
 */
final class Connection extends ChannelInboundHandlerAdapter {

    /** Payload bytes of one client's PUBLISHes being processed at once before the server stops reading from it. */
    static final int MAX_INFLIGHT_IN_BYTES = 1024 * 1024;
    /** Keep-alive used for a client that asks for none (0): the connection closes after this much silence. */
    static final int NO_KEEP_ALIVE_IDLE_SECONDS = 1800;
    /**
     * Credentials expiring further ahead get no expiry timer (the connection then lasts until either side closes
     * it); far below the delay at which a timer's arithmetic overflows.
     */
    static final Duration MAX_EXPIRY_DELAY = Duration.ofDays(36_500);
    private static final Logger LOG = LoggerFactory.getLogger(Connection.class);

    enum State { AWAIT_CONNECT, AUTHENTICATING, CONNECTED, CLOSED }

    private final Server server;
    private final Channel channel;
    private final boolean tls;
    private final String remote;
    private final Handshake handshake;
    private State state = State.AWAIT_CONNECT;
    private boolean unauthenticated = true;
    private int protocolLevel = 4;
    private volatile ClientIdentity identity;
    private Optional<Instant> expiresAt = Optional.empty();
    private Instant connectedSince;
    private ScheduledFuture<?> expiryTimer;
    private IotMessage will;
    private boolean graceful;
    private String closeReason = "closed-by-client";
    // the jobs of an accepted connection; null before the CONNACK
    private Subscriptions subscriptions;
    private InboundFlow inbound;
    private OutboundWindow outbound;
    private MethodCalls methods;
    private ClientPublishes publishes;

    Connection(Server server, Channel channel, boolean tls, Duration connectDeadline) {
        this.server = server;
        this.channel = channel;
        this.tls = tls;
        SocketAddress address = channel.remoteAddress();
        this.remote = address instanceof InetSocketAddress inet
                ? inet.getAddress().getHostAddress() + ":" + inet.getPort() : String.valueOf(address);
        this.handshake = new Handshake(this, server, channel, tls, connectDeadline);
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
                connectedSince == null ? Instant.EPOCH : connectedSince, expiresAt,
                subscriptions == null ? Set.of() : subscriptions.filters());
    }

    // ---- what the handshake moves along

    State state() {
        return state;
    }

    int protocolLevel() {
        return protocolLevel;
    }

    void protocolLevel(int level) {
        protocolLevel = level;
    }

    void authenticating() {
        state = State.AUTHENTICATING;
    }

    /** The CONNECT was refused: nothing more is read; the refusing CONNACK closes the channel. */
    void refused() {
        state = State.CLOSED;
        closeReason = "connect-refused";
    }

    /** The host accepted the client: sets up the accepted connection's jobs and timers, and sends the CONNACK. */
    void accept(ClientIdentity who, Optional<Instant> expires, Instant now, IotMessage lastWill, int keepAlive,
            int receiveMaximum) {
        will = lastWill;
        identity = who;
        expiresAt = expires;
        connectedSince = now;
        leaveUnauthenticated();
        boolean mqtt5 = protocolLevel == 5;
        startJobs(who, mqtt5, receiveMaximum);
        expiresAt.filter(at -> Duration.between(now, at).compareTo(MAX_EXPIRY_DELAY) <= 0)
                .ifPresent(at -> expiryTimer = channel.eventLoop().schedule(() -> {
            LOG.info("iothub-credential-expired client={} remote={} expiredAt={}", identity, remote, at);
            closeWith("credential-expired", (byte) 0x87);
        }, Math.max(0, Duration.between(now, at).toMillis()), TimeUnit.MILLISECONDS));
        int idle = keepAlive > 0 ? (int) Math.ceil(keepAlive * 1.5) : NO_KEEP_ALIVE_IDLE_SECONDS;
        channel.pipeline().addBefore("dialect", "idle", new IdleStateHandler(idle, 0, 0));
        channel.pipeline().replace(Server.DECODER, Server.DECODER, server.acceptedDecoder());
        state = State.CONNECTED;
        channel.config().setAutoRead(true);
        // registered before the client hears it is connected, so that whatever it does next finds this connection
        // (and not the one it took over)
        server.register(this);
        channel.writeAndFlush(Handshake.connAck(MqttConnectReturnCode.CONNECTION_ACCEPTED, mqtt5, server.settings));
        LOG.info("iothub-client-connected client={} remote={} protocol={} tls={}", identity, remote,
                mqtt5 ? "mqtt5" : "mqtt3.1.1", tls);
        try {
            server.host.connected(describe());
        } catch (RuntimeException e) {
            LOG.warn("iothub-host-connected-failed client={}", identity, e);
        }
    }

    /** The jobs of an accepted connection, bound to the client's identity and MQTT version. */
    private void startJobs(ClientIdentity who, boolean mqtt5, int receiveMaximum) {
        subscriptions = new Subscriptions(channel, who, mqtt5, this::refusalLog);
        inbound = new InboundFlow(channel, mqtt5, server.settings.maxInflightIn(), MAX_INFLIGHT_IN_BYTES,
                () -> closeWith("publish-not-taken"));
        outbound = new OutboundWindow(channel, who, receiveMaximum, server.settings.maxInflightOut(),
                server.settings.deliveryTimeout());
        methods = new MethodCalls(channel, who, subscriptions, server.settings.maxPendingMethods());
        publishes = new ClientPublishes(this, channel, server.host, who, mqtt5, inbound, subscriptions, methods);
    }

    // ---- lifecycle

    @Override
    public void channelActive(ChannelHandlerContext ctx) throws Exception {
        handshake.start();
        super.channelActive(ctx);
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) throws Exception {
        State was = state;
        state = State.CLOSED;
        handshake.close();
        if (expiryTimer != null) {
            expiryTimer.cancel(false);
        }
        if (inbound != null) {
            inbound.close();
            outbound.close();
            methods.close();
        }
        if (was == State.CONNECTED) {
            ended();
        }
        super.channelInactive(ctx);
    }

    /** An accepted connection ended: it leaves the registry, its will goes (unless it said DISCONNECT). */
    private void ended() {
        server.unregister(this);
        if (!graceful && will != null) {
            IotMessage lastWill = will;
            try {
                server.host.telemetry(identity, lastWill).whenComplete((v, e) -> {
                    if (e != null) {
                        LOG.warn("iothub-will-not-taken client={} error=\"{}\"", identity, HostCalls.message(e));
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
        onLoop(() -> closeWith(reason));
    }

    void closeTakenOver() {
        onLoop(() -> closeWith("taken-over", (byte) 0x8E));
    }

    /** Closes the channel, giving the reason that the disconnection is logged with. */
    void closeWith(String reason) {
        closeReason = reason;
        channel.close();
    }

    /** Closes as {@link #closeWith(String)}, after a DISCONNECT with the reason code to a connected MQTT 5 client. */
    void closeWith(String reason, byte mqtt5Reason) {
        closeReason = reason;
        if (protocolLevel == 5 && state == State.CONNECTED) {
            channel.writeAndFlush(Packets.disconnect(mqtt5Reason)).addListener(ChannelFutureListener.CLOSE);
        } else {
            channel.close();
        }
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
                    handshake.onConnect((MqttConnectMessage) packet);
                }
                case AUTHENTICATING -> {
                    if (!handshake.hold(msg)) {
                        violation("more than " + Handshake.MAX_HELD + " packets before CONNACK");
                        return;
                    }
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
            handshake.refuse(MqttConnectReturnCode.CONNECTION_REFUSED_UNACCEPTABLE_PROTOCOL_VERSION,
                    "unsupported MQTT version");
            return;
        }
        if (state == State.AWAIT_CONNECT && cause instanceof MqttIdentifierRejectedException) {
            handshake.refuse(MqttConnectReturnCode.CONNECTION_REFUSED_IDENTIFIER_REJECTED, "client id rejected");
            return;
        }
        String error = cause == null ? "" : cause.getClass().getSimpleName() + ": " + cause.getMessage();
        server.refusals.log("malformed " + hostOf(remote), System.nanoTime(), suppressed -> LOG.warn(
                "iothub-malformed-packet remote={} client={} error=\"{}\" suppressedSinceLast={}", remote,
                identity == null ? "" : identity.name(), PropertyBag.abbreviate(error), suppressed));
        closeWith("malformed-packet", cause instanceof TooLongFrameException ? (byte) 0x95 : (byte) 0x81);
    }

    private void violation(String what) {
        server.refusals.log("violation " + hostOf(remote), System.nanoTime(), suppressed -> LOG.warn(
                "iothub-protocol-violation remote={} client={} detail=\"{}\" suppressedSinceLast={}", remote,
                identity == null ? "" : identity.name(), what, suppressed));
        closeWith("protocol-violation", (byte) 0x82);
    }

    /** A packet of a connected client, to the job it belongs to. */
    void dispatch(MqttMessage packet) {
        switch (packet.fixedHeader().messageType()) {
            case PUBLISH -> publishes.onPublish((MqttPublishMessage) packet);
            case PUBACK -> onPubAck(packet);
            case SUBSCRIBE -> onSubscribe((MqttSubscribeMessage) packet);
            case UNSUBSCRIBE -> subscriptions.unsubscribe((MqttUnsubscribeMessage) packet);
            case PINGREQ -> channel.writeAndFlush(Packets.pingResp());
            case DISCONNECT -> {
                graceful = true;
                channel.close();
            }
            case PUBREC, PUBREL, PUBCOMP -> violation("QoS 2 is not supported");
            default -> violation("unexpected " + packet.fixedHeader().messageType());
        }
    }

    private void onPubAck(MqttMessage ack) {
        if (ack.variableHeader() instanceof MqttPubReplyMessageVariableHeader reply) {
            outbound.acknowledged(reply.messageId(), reply.reasonCode());
        } else if (ack.variableHeader() instanceof MqttMessageIdVariableHeader id) {
            outbound.acknowledged(id.messageId(), (byte) 0);
        }
    }

    private void onSubscribe(MqttSubscribeMessage subscribe) {
        for (String filter : subscriptions.subscribe(subscribe)) {
            try {
                server.host.subscribed(identity, filter);
            } catch (RuntimeException e) {
                LOG.warn("iothub-host-subscribed-failed client={} filter=\"{}\"", identity, filter, e);
            }
        }
    }

    /** Logs a refused request of the client (rate-limited per client and kind). */
    void refusalLog(String what, String topic, String reason) {
        String client = identity == null ? remote : identity.name();
        server.refusals.log(what + " " + client, System.nanoTime(), suppressed -> LOG.warn(
                "iothub-{}-refused client={} remote={} topic=\"{}\" reason=\"{}\" suppressedSinceLast={}", what,
                client, remote, PropertyBag.abbreviate(topic), reason, suppressed));
    }

    // ---- deliveries the host asks for (any thread)

    CompletionStage<Void> deliver(String topic, byte[] body) {
        CompletableFuture<Void> result = new CompletableFuture<>();
        onLoop(() -> {
            if (state != State.CONNECTED) {
                result.completeExceptionally(notConnected());
                return;
            }
            int qos = subscriptions.qos(topic);
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
                channel.writeAndFlush(Packets.publish(topic, MqttQoS.AT_MOST_ONCE, 0, body)).addListener(w -> {
                    if (w.isSuccess()) {
                        result.complete(null);
                    } else {
                        result.completeExceptionally(notConnected());
                    }
                });
                return;
            }
            outbound.send(topic, body, result);
        });
        return result;
    }

    CompletionStage<Void> pushDesired(long version, String patchJson) {
        CompletableFuture<Void> result = new CompletableFuture<>();
        onLoop(() -> {
            String topic = Topics.TWIN_DESIRED_PREFIX + "?$version=" + version;
            if (state != State.CONNECTED || subscriptions.qos(topic) < 0) {
                result.completeExceptionally(new DialectException(DialectException.NOT_CONNECTED,
                        identity + " is not subscribed to desired property updates"));
                return;
            }
            channel.writeAndFlush(Packets.publish(topic, MqttQoS.AT_MOST_ONCE, 0,
                    patchJson.getBytes(StandardCharsets.UTF_8))).addListener(w -> {
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
            if (state != State.CONNECTED) {
                result.complete(MethodResult.error(MethodResult.NOT_CONNECTED,
                        identity + " is not subscribed to direct methods"));
                return;
            }
            methods.invoke(method, payload, timeout, result);
        });
        return result;
    }

    // ---- helpers

    private DialectException notConnected() {
        return new DialectException(DialectException.NOT_CONNECTED, identity + " is not connected");
    }

    /** Runs the task on the channel's event loop: at once when already there. */
    void onLoop(Runnable task) {
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

    static String hostOf(String remote) {
        int colon = remote.lastIndexOf(':');
        return colon > 0 ? remote.substring(0, colon) : remote;
    }
}

package io.outpost.bench.fleet;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.handler.codec.mqtt.MqttConnAckMessage;
import io.netty.handler.codec.mqtt.MqttConnectReturnCode;
import io.netty.handler.codec.mqtt.MqttFixedHeader;
import io.netty.handler.codec.mqtt.MqttMessage;
import io.netty.handler.codec.mqtt.MqttMessageBuilders;
import io.netty.handler.codec.mqtt.MqttMessageType;
import io.netty.handler.codec.mqtt.MqttPublishMessage;
import io.netty.handler.codec.mqtt.MqttQoS;
import io.netty.handler.codec.mqtt.MqttSubAckMessage;
import io.netty.handler.codec.mqtt.MqttVersion;
import io.netty.handler.timeout.IdleStateEvent;
import io.outpost.security.SasToken;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.HashSet;
import java.util.Iterator;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicLong;

/**
 * One simulated edge: the {@code <device>/$edgeAgent} connection of Outpost's cloud link, on one Netty channel.
 * It connects with a SAS token signed with the device key, subscribes to twin answers and desired pushes, reads
 * its twin, and on every desired push reads the twin whole again (as the link does); when the desired
 * {@code $version} is new it reports it applied as the link does for an agent that runs every module as desired:
 * {@code lastDesiredVersion}, {@code lastDesiredStatus.code} 200 and each desired module with
 * {@code runtimeStatus} equal to its desired status, modules that left the deployment set to null.
 */
final class SimDevice extends SimpleChannelInboundHandler<MqttMessage> {

    static final String HUB = "outpost-cloud";
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String RES = "$iothub/twin/res/";
    private static final String DESIRED = "$iothub/twin/PATCH/properties/desired/";
    private static final String NEVER = "0001-01-01T00:00:00Z";

    /** Counters shared by the fleet. */
    static final class Counters {
        final AtomicLong pushes = new AtomicLong();
        final AtomicLong reportsSent = new AtomicLong();
        final AtomicLong reportsAcked = new AtomicLong();
        final AtomicLong errors = new AtomicLong();
    }

    private final String deviceId;
    private final String key;
    private final int keepAliveSecs;
    private final Counters counters;
    final CompletableFuture<Void> ready = new CompletableFuture<>();
    private long appliedVersion = -1;
    private Set<String> reportedModules = new HashSet<>();
    private int nextRid = 1;

    SimDevice(String deviceId, String key, int keepAliveSecs, Counters counters) {
        this.deviceId = deviceId;
        this.key = key;
        this.keepAliveSecs = keepAliveSecs;
        this.counters = counters;
    }

    /** Called once TLS is up. */
    void sendConnect(ChannelHandlerContext ctx) {
        String client = deviceId + "/$edgeAgent";
        String token = SasToken.create(HUB + "/devices/" + deviceId + "/modules/$edgeAgent", key,
                Instant.now().plus(1, ChronoUnit.HOURS));
        ctx.writeAndFlush(MqttMessageBuilders.connect().clientId(client).protocolVersion(MqttVersion.MQTT_3_1_1)
                .username(HUB + "/" + client + "/?api-version=2021-04-12")
                .password(token.getBytes(StandardCharsets.UTF_8)).cleanSession(true).keepAlive(keepAliveSecs).build());
    }

    @Override
    protected void channelRead0(ChannelHandlerContext ctx, MqttMessage msg) throws Exception {
        if (msg.decoderResult().isFailure()) {
            fail(ctx, "undecodable packet: " + msg.decoderResult().cause());
            return;
        }
        switch (msg.fixedHeader().messageType()) {
            case CONNACK -> {
                MqttConnectReturnCode code = ((MqttConnAckMessage) msg).variableHeader().connectReturnCode();
                if (code != MqttConnectReturnCode.CONNECTION_ACCEPTED) {
                    fail(ctx, "CONNACK " + code);
                    return;
                }
                ctx.writeAndFlush(MqttMessageBuilders.subscribe().messageId(1)
                        .addSubscription(MqttQoS.AT_MOST_ONCE, RES + "#")
                        .addSubscription(MqttQoS.AT_MOST_ONCE, DESIRED + "#").build());
            }
            case SUBACK -> {
                for (int granted : ((MqttSubAckMessage) msg).payload().grantedQoSLevels()) {
                    if (granted >= 0x80) {
                        fail(ctx, "subscription refused");
                        return;
                    }
                }
                getTwin(ctx);
            }
            case PUBLISH -> publish(ctx, (MqttPublishMessage) msg);
            default -> {
                // PINGRESP, PUBACK: nothing to do
            }
        }
    }

    private void publish(ChannelHandlerContext ctx, MqttPublishMessage msg) throws Exception {
        if (msg.fixedHeader().qosLevel() == MqttQoS.AT_LEAST_ONCE) {
            ctx.writeAndFlush(MqttMessageBuilders.pubAck().packetId(msg.variableHeader().packetId()).build());
        }
        String topic = msg.variableHeader().topicName();
        if (topic.startsWith(DESIRED)) {
            counters.pushes.incrementAndGet();
            getTwin(ctx);
        } else if (topic.startsWith(RES)) {
            String rest = topic.substring(RES.length());
            int status = Integer.parseInt(rest.substring(0, rest.indexOf('/')));
            String rid = rest.substring(rest.indexOf("$rid=") + 5);
            int amp = rid.indexOf('&');
            rid = amp < 0 ? rid : rid.substring(0, amp);
            if (rid.startsWith("g")) {
                if (status != 200) {
                    counters.errors.incrementAndGet();
                    fail(ctx, "twin GET answered " + status);
                    return;
                }
                twin(ctx, JSON.readTree(msg.payload().toString(StandardCharsets.UTF_8)));
                ready.complete(null);
            } else if (rid.startsWith("r")) {
                if (status == 204) {
                    counters.reportsAcked.incrementAndGet();
                } else {
                    counters.errors.incrementAndGet();
                }
            }
        }
    }

    private void getTwin(ChannelHandlerContext ctx) {
        send(ctx, "$iothub/twin/GET/?$rid=g" + nextRid++, new byte[0]);
    }

    /** The twin as the link reads it: a new desired version is applied and reported. */
    private void twin(ChannelHandlerContext ctx, JsonNode doc) throws Exception {
        JsonNode desired = doc.path("desired");
        long version = desired.path("$version").asLong(-1);
        if (version <= appliedVersion || !desired.has("modules")) {
            return;
        }
        appliedVersion = version;
        ObjectNode r = JSON.createObjectNode();
        r.put("schemaVersion", "1.0");
        r.putObject("version").put("version", "bench").put("build", "").put("commit", "");
        r.put("lastDesiredVersion", version);
        r.putObject("lastDesiredStatus").put("code", 200).put("description", "");
        r.putObject("runtime").putObject("platform").put("os", "linux").put("architecture", "amd64")
                .put("version", "bench");
        ObjectNode system = r.putObject("systemModules");
        system.putObject("edgeAgent").put("runtimeStatus", "running").put("status", "running");
        system.putObject("edgeHub").put("runtimeStatus", "running").put("status", "running");
        ObjectNode modules = r.putObject("modules");
        Set<String> now = new HashSet<>();
        String started = Instant.now().toString();
        for (Iterator<Map.Entry<String, JsonNode>> it = desired.path("modules").fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> module = it.next();
            JsonNode spec = module.getValue();
            String status = spec.path("status").asText("running");
            ObjectNode m = modules.putObject(module.getKey());
            m.put("runtimeStatus", status).put("status", status).put("exitCode", 0)
                    .put("statusDescription", "running").put("lastStartTimeUtc", started)
                    .put("lastExitTimeUtc", NEVER).put("restartCount", 0).put("lastRestartTimeUtc", NEVER)
                    .put("restartPolicy", spec.path("restartPolicy").asText("always"))
                    .put("startupOrder", spec.path("startupOrder").asLong(4294967295L));
            m.putObject("settings").put("image", spec.path("settings").path("image").asText(""));
            now.add(module.getKey());
        }
        for (String gone : reportedModules) {
            if (!now.contains(gone)) {
                modules.putNull(gone);
            }
        }
        reportedModules = now;
        send(ctx, "$iothub/twin/PATCH/properties/reported/?$rid=r" + version, JSON.writeValueAsBytes(r));
        counters.reportsSent.incrementAndGet();
    }

    private static void send(ChannelHandlerContext ctx, String topic, byte[] payload) {
        ByteBuf body = Unpooled.wrappedBuffer(payload);
        ctx.writeAndFlush(MqttMessageBuilders.publish().topicName(topic).qos(MqttQoS.AT_MOST_ONCE).retained(false)
                .payload(body).build());
    }

    @Override
    public void userEventTriggered(ChannelHandlerContext ctx, Object evt) throws Exception {
        if (evt instanceof IdleStateEvent) {
            ctx.writeAndFlush(new MqttMessage(new MqttFixedHeader(MqttMessageType.PINGREQ, false,
                    MqttQoS.AT_MOST_ONCE, false, 0)));
        } else {
            super.userEventTriggered(ctx, evt);
        }
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) throws Exception {
        if (!ready.isDone()) {
            ready.completeExceptionally(new IllegalStateException(deviceId + ": connection closed before ready"));
        }
        super.channelInactive(ctx);
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        counters.errors.incrementAndGet();
        fail(ctx, cause.toString());
    }

    private void fail(ChannelHandlerContext ctx, String why) {
        ready.completeExceptionally(new IllegalStateException(deviceId + ": " + why));
        ctx.close();
    }
}

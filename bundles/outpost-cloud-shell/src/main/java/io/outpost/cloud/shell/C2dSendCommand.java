package io.outpost.cloud.shell;

import io.outpost.cloud.C2dEntry;
import io.outpost.cloud.C2dState;
import io.outpost.cloud.CloudErrorCode;
import io.outpost.cloud.CloudMessaging;
import io.outpost.cloud.CloudToDeviceMessage;
import io.outpost.cloud.DeviceRegistry;
import io.outpost.cloud.web.CloudJson;
import io.outpost.cloud.web.FieldException;
import io.outpost.common.OutpostException;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.karaf.shell.api.action.Action;
import org.apache.karaf.shell.api.action.Argument;
import org.apache.karaf.shell.api.action.Command;
import org.apache.karaf.shell.api.action.Completion;
import org.apache.karaf.shell.api.action.Option;
import org.apache.karaf.shell.api.action.lifecycle.Reference;
import org.apache.karaf.shell.api.action.lifecycle.Service;

/**
 * {@code cloud:c2d-send <device> '<body>' [--property k=v]... [--message-id id] [--correlation-id id]
 * [--content-type t] [--content-encoding e] [--ttl secs] [--wait secs]}: queues a cloud-to-device message in the
 * device's durable queue and prints its messageId and whether the device already acknowledged it.
 */
@Service
@Command(scope = "cloud", name = "c2d-send", description = "Queues a cloud-to-device message for a device "
        + "(delivered on devices/<d>/messages/devicebound/# when it is connected) and prints its messageId and "
        + "whether it was delivered within --wait")
public class C2dSendCommand implements Action {

    private static final int MAX_WAIT_SECS = 300;

    @Argument(index = 0, name = "device", description = "The device id", required = true)
    @Completion(DeviceCompleter.class)
    String device;

    @Argument(index = 1, name = "body", description = "The message body, sent as UTF-8 text", required = true)
    String body;

    @Option(name = "--property", aliases = "-p", description = "An application property key=value",
            multiValued = true)
    List<String> properties;

    @Option(name = "--message-id", description = "The message id ($.mid); default: a generated UUID")
    String messageId;

    @Option(name = "--correlation-id", description = "The correlation id ($.cid)")
    String correlationId;

    @Option(name = "--content-type", description = "The content type ($.ct), e.g. application/json")
    String contentType;

    @Option(name = "--content-encoding", description = "The content encoding ($.ce), e.g. utf-8")
    String contentEncoding;

    @Option(name = "--ttl", description = "Seconds the message may wait in the queue (1 to 172800); default: the "
            + "endpoint's c2dDefaultTtlSecs")
    Integer ttlSeconds;

    @Option(name = "--wait", description = "Seconds to wait for the device's acknowledgement when it is connected "
            + "(0 to 300); the message stays queued either way")
    int waitSeconds = 5;

    @Reference
    DeviceRegistry registry;

    @Reference(optional = true)
    CloudMessaging messaging;

    @Override
    public Object execute() throws Exception {
        Map<String, String> props = new TreeMap<>();
        if (properties != null) {
            for (String kv : properties) {
                int eq = kv.indexOf('=');
                if (eq < 1) {
                    throw new IllegalArgumentException("--property must read key=value, got '" + kv + "'");
                }
                props.put(kv.substring(0, eq), kv.substring(eq + 1));
            }
        }
        if (waitSeconds < 0 || waitSeconds > MAX_WAIT_SECS) {
            throw new IllegalArgumentException("--wait must be between 0 and " + MAX_WAIT_SECS + ": " + waitSeconds);
        }
        CloudToDeviceMessage message;
        try {
            message = CloudJson.c2dMessage(body, props, messageId, correlationId, contentType, contentEncoding,
                    ttlSeconds);
        } catch (FieldException e) {
            throw new IllegalArgumentException(option(e.field()) + ": " + e.getMessage(), e);
        }
        if (registry.get(device).isEmpty()) {
            throw new OutpostException(CloudErrorCode.NOT_FOUND, "no device '" + device + "'");
        }
        CloudMessaging endpoint = Endpoint.running(messaging);
        C2dEntry entry;
        try {
            entry = endpoint.sendToDevice(device, message, Duration.ofSeconds(waitSeconds)).toCompletableFuture()
                    .get(waitSeconds + 30L, TimeUnit.SECONDS);
        } catch (ExecutionException e) {
            throw e.getCause() instanceof Exception cause ? cause : e;
        } catch (TimeoutException e) {
            throw new IllegalStateException("the message to '" + device + "' was not queued in time", e);
        }
        String id = entry.message().messageId();
        if (entry.state() == C2dState.DELIVERED) {
            System.out.println("delivered to " + device + " (messageId " + id + "): " + message.body().length
                    + " bytes, " + message.properties().size() + " properties, acknowledged");
        } else {
            System.out.println("queued for " + device + " (messageId " + id + "): " + message.body().length
                    + " bytes, " + message.properties().size() + " properties, expires " + entry.expiresAt());
        }
        return null;
    }

    private static String option(String field) {
        return switch (field) {
            case "messageId" -> "--message-id";
            case "correlationId" -> "--correlation-id";
            case "contentType" -> "--content-type";
            case "contentEncoding" -> "--content-encoding";
            case "ttlSeconds" -> "--ttl";
            default -> field.startsWith("properties.") ? "--property " + field.substring(11) : field;
        };
    }
}

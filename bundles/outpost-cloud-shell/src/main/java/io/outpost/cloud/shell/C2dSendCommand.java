package io.outpost.cloud.shell;

import io.outpost.cloud.CloudErrorCode;
import io.outpost.cloud.CloudMessaging;
import io.outpost.cloud.CloudToDeviceMessage;
import io.outpost.cloud.DeviceRegistry;
import io.outpost.cloud.web.CloudJson;
import io.outpost.cloud.web.FieldException;
import io.outpost.common.OutpostException;
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
 * {@code cloud:c2d-send <device> '<body>' [--property k=v]... [--message-id id]}: sends a cloud-to-device message
 * through the cloud's device endpoint and returns once the device acknowledged it.
 */
@Service
@Command(scope = "cloud", name = "c2d-send", description = "Sends a cloud-to-device message to a connected device "
        + "(on devices/<d>/messages/devicebound/#) and waits until the device acknowledged it")
public class C2dSendCommand implements Action {

    /** Longest wait for the acknowledgement; the endpoint fails the delivery itself after its delivery timeout. */
    private static final int WAIT_SECS = 90;

    @Argument(index = 0, name = "device", description = "The device id", required = true)
    @Completion(DeviceCompleter.class)
    String device;

    @Argument(index = 1, name = "body", description = "The message body, sent as UTF-8 text", required = true)
    String body;

    @Option(name = "--property", aliases = "-p", description = "An application property key=value",
            multiValued = true)
    List<String> properties;

    @Option(name = "--message-id", description = "The message id ($.mid)")
    String messageId;

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
        CloudToDeviceMessage message;
        try {
            message = CloudJson.c2dMessage(body, props, messageId);
        } catch (FieldException e) {
            String option = e.field().startsWith("properties.") ? "--property " + e.field().substring(11)
                    : e.field().equals("messageId") ? "--message-id" : e.field();
            throw new IllegalArgumentException(option + ": " + e.getMessage(), e);
        }
        if (registry.get(device).isEmpty()) {
            throw new OutpostException(CloudErrorCode.NOT_FOUND, "no device '" + device + "'");
        }
        if (messaging == null) {
            throw new IllegalStateException("the cloud's device endpoint is not running");
        }
        try {
            messaging.sendToDevice(device, message).toCompletableFuture().get(WAIT_SECS, TimeUnit.SECONDS);
        } catch (ExecutionException e) {
            throw e.getCause() instanceof Exception cause ? cause : e;
        } catch (TimeoutException e) {
            throw new IllegalStateException("'" + device + "' did not acknowledge the message within " + WAIT_SECS
                    + " s", e);
        }
        System.out.println("delivered to " + device + (message.messageId().isEmpty() ? ""
                : " (messageId " + message.messageId() + ")") + ": " + message.body().length + " bytes, "
                + message.properties().size() + " properties, acknowledged");
        return null;
    }
}

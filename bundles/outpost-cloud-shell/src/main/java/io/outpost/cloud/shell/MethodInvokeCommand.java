package io.outpost.cloud.shell;

import io.outpost.cloud.CloudErrorCode;
import io.outpost.cloud.CloudMessaging;
import io.outpost.cloud.MethodResponse;
import io.outpost.cloud.TwinId;
import io.outpost.cloud.web.CloudJson;
import io.outpost.common.OutpostException;
import java.time.Duration;
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
 * {@code cloud:method-invoke <device[/module]> <method> ['<json>'] [--timeout s]}: calls a direct method through the
 * cloud's device endpoint and prints the answer's status and payload.
 */
@Service
@Command(scope = "cloud", name = "method-invoke", description = "Calls a direct method on a connected device or "
        + "module (behind an edge, relayed by its cloud link) and prints the status and payload it answered")
public class MethodInvokeCommand implements Action {

    @Argument(index = 0, name = "target", description = "<device> or <device>/<module>", required = true)
    @Completion(DeviceCompleter.class)
    String target;

    @Argument(index = 1, name = "method", description = "The method name", required = true)
    String method;

    @Argument(index = 2, name = "payload", description = "The JSON payload (default: null)")
    String payload;

    @Option(name = "--timeout", description = "Seconds to wait for the answer (1-300, default 30)")
    int timeoutSecs = 30;

    @Reference(optional = true)
    CloudMessaging messaging;

    @Override
    public Object execute() throws Exception {
        if (timeoutSecs < 1 || timeoutSecs > 300) {
            throw new OutpostException(CloudErrorCode.INVALID_ARGUMENT, "--timeout must be 1 to 300 seconds: "
                    + timeoutSecs);
        }
        CloudMessaging endpoint = Endpoint.running(messaging);
        int slash = target.indexOf('/');
        TwinId id = slash < 0 ? TwinId.device(target)
                : TwinId.module(target.substring(0, slash), target.substring(slash + 1));
        String body = payload == null || payload.isBlank() ? "null" : payload.trim();
        CloudJson.check(body, "payload");
        MethodResponse answer;
        try {
            answer = endpoint.invokeMethod(id, method, body, Duration.ofSeconds(timeoutSecs)).toCompletableFuture()
                    .get(timeoutSecs + 10L, TimeUnit.SECONDS);
        } catch (ExecutionException e) {
            throw e.getCause() instanceof Exception cause ? cause : e;
        } catch (TimeoutException e) {
            answer = new MethodResponse(504, "");
        }
        String text = switch (answer.status()) {
            case 404 -> "not connected or not subscribed to direct methods";
            case 504 -> "no answer within " + timeoutSecs + " s";
            case 429 -> "too many method calls wait for it";
            default -> answer.payload() == null || answer.payload().isEmpty() ? "null" : answer.payload();
        };
        System.out.println("status: " + answer.status());
        System.out.println("payload: " + text);
        return null;
    }
}

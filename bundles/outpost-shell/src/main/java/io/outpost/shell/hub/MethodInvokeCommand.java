package io.outpost.shell.hub;

import io.outpost.hub.MethodInvoker;
import java.time.Duration;
import java.util.Optional;
import org.apache.karaf.shell.api.action.Action;
import org.apache.karaf.shell.api.action.Argument;
import org.apache.karaf.shell.api.action.Command;
import org.apache.karaf.shell.api.action.Option;
import org.apache.karaf.shell.api.action.lifecycle.Reference;
import org.apache.karaf.shell.api.action.lifecycle.Service;

/**
 * {@code edge:method-invoke <device[/module]> <method> '<json>' [--timeout s]}: calls a direct method on a
 * connected module or leaf device and prints its status and answer (404: not connected or not subscribed to
 * methods; 504: no answer in time).
 */
@Service
@Command(scope = "edge", name = "method-invoke", description = "Calls a direct method on a module or leaf device")
public class MethodInvokeCommand implements Action {

    @Reference
    MethodInvoker methods;

    @Argument(index = 0, name = "device[/module]", required = true, description = "Target: <device> or <device>/<module>")
    String target;

    @Argument(index = 1, name = "method", required = true, description = "Method name")
    String method;

    @Argument(index = 2, name = "json", required = false, description = "JSON payload (default null)")
    String payload = "null";

    @Option(name = "--timeout", description = "Seconds to wait for the answer (default 30)")
    int timeoutSecs = 30;

    @Override
    public Object execute() {
        int slash = target.indexOf('/');
        String device = slash < 0 ? target : target.substring(0, slash);
        Optional<String> module = slash < 0 ? Optional.empty() : Optional.of(target.substring(slash + 1));
        if (device.isEmpty() || module.map(String::isEmpty).orElse(false)) {
            System.err.println("target must be <device> or <device>/<module>: " + target);
            return null;
        }
        if (timeoutSecs < 1) {
            System.err.println("--timeout must be at least 1 second: " + timeoutSecs);
            return null;
        }
        try {
            MethodInvoker.MethodResponse answer = methods.invoke(device, module, method, payload,
                    Duration.ofSeconds(timeoutSecs));
            System.out.println("status: " + answer.status());
            System.out.println(answer.payloadJson());
        } catch (IllegalArgumentException e) {
            System.err.println(e.getMessage());
        }
        return null;
    }
}

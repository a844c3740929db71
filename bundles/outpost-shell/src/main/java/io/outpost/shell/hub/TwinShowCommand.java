package io.outpost.shell.hub;

import io.outpost.hub.Twins;
import java.util.Optional;
import org.apache.karaf.shell.api.action.Action;
import org.apache.karaf.shell.api.action.Argument;
import org.apache.karaf.shell.api.action.Command;
import org.apache.karaf.shell.api.action.lifecycle.Reference;
import org.apache.karaf.shell.api.action.lifecycle.Service;

/**
 * {@code edge:twin-show <module|device>}: the twin the hub keeps, as a client's twin GET answers it. The name is
 * a module of this device, a leaf device id, or {@code <device>/<module>}.
 */
@Service
@Command(scope = "edge", name = "twin-show", description = "Shows the twin of a module or leaf device (desired and reported)")
public class TwinShowCommand implements Action {

    @Reference
    Twins twins;

    @Argument(index = 0, name = "module|device", required = true,
            description = "Module name, leaf device id, or <device>/<module>")
    String name;

    @Override
    public Object execute() {
        Optional<String> twin = name.contains("/") ? twins.twin(name)
                : twins.moduleTwin(name).or(() -> twins.twin(name));
        if (twin.isEmpty()) {
            System.err.println("No twin for '" + name + "': the hub holds twins for " + twins.identities());
            return null;
        }
        System.out.println(twin.get());
        return null;
    }
}

package io.outpost.cloud.shell;

import io.outpost.cloud.Device;
import io.outpost.cloud.DeviceRegistry;
import java.util.List;
import org.apache.karaf.shell.api.action.lifecycle.Reference;
import org.apache.karaf.shell.api.action.lifecycle.Service;
import org.apache.karaf.shell.api.console.CommandLine;
import org.apache.karaf.shell.api.console.Completer;
import org.apache.karaf.shell.api.console.Session;
import org.apache.karaf.shell.support.completers.StringsCompleter;

/** Completes device ids. */
@Service
public class DeviceCompleter implements Completer {

    @Reference
    DeviceRegistry registry;

    @Override
    public int complete(Session session, CommandLine commandLine, List<String> candidates) {
        StringsCompleter ids = new StringsCompleter();
        registry.list().stream().map(Device::id).forEach(ids.getStrings()::add);
        return ids.complete(session, commandLine, candidates);
    }
}

package io.outpost.shell.security;

import io.outpost.security.IdentityService;
import java.util.List;
import org.apache.karaf.shell.api.action.lifecycle.Reference;
import org.apache.karaf.shell.api.action.lifecycle.Service;
import org.apache.karaf.shell.api.console.CommandLine;
import org.apache.karaf.shell.api.console.Completer;
import org.apache.karaf.shell.api.console.Session;
import org.apache.karaf.shell.support.completers.StringsCompleter;

/** Completes the ids of registered leaf devices. */
@Service
public class DeviceCompleter implements Completer {

    @Reference
    IdentityService identities;

    @Override
    public int complete(Session session, CommandLine commandLine, List<String> candidates) {
        StringsCompleter names = new StringsCompleter();
        identities.list().stream().filter(id -> id.moduleId().isEmpty()).forEach(id -> names.getStrings().add(id.deviceId()));
        return names.complete(session, commandLine, candidates);
    }
}

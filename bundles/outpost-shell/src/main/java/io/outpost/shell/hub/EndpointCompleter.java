package io.outpost.shell.hub;

import io.outpost.hub.MessageStore;
import java.util.List;
import org.apache.karaf.shell.api.action.lifecycle.Reference;
import org.apache.karaf.shell.api.action.lifecycle.Service;
import org.apache.karaf.shell.api.console.CommandLine;
import org.apache.karaf.shell.api.console.Completer;
import org.apache.karaf.shell.api.console.Session;
import org.apache.karaf.shell.support.completers.StringsCompleter;

/** Completes the endpoints that have a queue. */
@Service
public class EndpointCompleter implements Completer {

    @Reference
    MessageStore store;

    @Override
    public int complete(Session session, CommandLine commandLine, List<String> candidates) {
        StringsCompleter names = new StringsCompleter();
        names.getStrings().addAll(store.endpoints());
        return names.complete(session, commandLine, candidates);
    }
}

package io.outpost.shell.hub;

import io.outpost.hub.MessageRouter;
import io.outpost.hub.RouteDefinition;
import java.util.List;
import org.apache.karaf.shell.api.action.lifecycle.Reference;
import org.apache.karaf.shell.api.action.lifecycle.Service;
import org.apache.karaf.shell.api.console.CommandLine;
import org.apache.karaf.shell.api.console.Completer;
import org.apache.karaf.shell.api.console.Session;
import org.apache.karaf.shell.support.completers.StringsCompleter;

/** Completes the names of the routes in effect. */
@Service
public class RouteCompleter implements Completer {

    @Reference
    MessageRouter router;

    @Override
    public int complete(Session session, CommandLine commandLine, List<String> candidates) {
        StringsCompleter names = new StringsCompleter();
        router.routes().stream().map(RouteDefinition::name).forEach(names.getStrings()::add);
        return names.complete(session, commandLine, candidates);
    }
}

package io.outpost.shell.hub;

import io.outpost.routing.ParsedRoute;
import io.outpost.routing.RouteMessage;
import io.outpost.routing.RouteParser;
import io.outpost.routing.RouteSyntaxException;
import io.outpost.routing.SampleMessages;
import io.outpost.routing.TriState;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import org.apache.karaf.shell.api.action.Action;
import org.apache.karaf.shell.api.action.Argument;
import org.apache.karaf.shell.api.action.Command;
import org.apache.karaf.shell.api.action.Option;
import org.apache.karaf.shell.api.action.lifecycle.Service;
import org.apache.karaf.shell.support.completers.FileCompleter;

/** {@code edge:route-test '<route>' --message <file>}: whether a sample message takes a route, and to which endpoint. */
@Service
@Command(scope = "edge", name = "route-test", description = "Evaluates a route against a sample message file "
        + "({\"systemProperties\":{...},\"properties\":{...},\"body\":...})")
public class RouteTestCommand implements Action {

    @Argument(index = 0, name = "route", required = true, description = "FROM <source> [WHERE <condition>] INTO <sink>")
    String route;

    @Option(name = "--message", description = "The sample message file (JSON); required")
    @org.apache.karaf.shell.api.action.Completion(FileCompleter.class)
    String messageFile;

    @Argument(index = 1, name = "options", multiValued = true, description = "--message <file> may also follow")
    List<String> trailing;

    @Override
    public Object execute() {
        String file = new TrailingOptions(trailing, Set.of("--message")).string("--message", messageFile);
        if (file == null) {
            throw new IllegalArgumentException("--message: required (the sample message file)");
        }
        ParsedRoute parsed;
        try {
            parsed = RouteParser.parse(route);
        } catch (RouteSyntaxException e) {
            throw new IllegalArgumentException("route: " + e.getMessage());
        }
        RouteMessage message = read(Path.of(file));
        boolean fromSource = parsed.source().matches(message.source());
        TriState condition = parsed.compiled().evaluate(message);
        boolean matches = fromSource && condition == TriState.TRUE;
        System.out.println("Source    : " + parsed.source().text() + (fromSource ? " (selects the sender)"
                : " (does not select " + message.source().type().name().toLowerCase() + " " + message.source().id() + ")"));
        System.out.println("Condition : " + parsed.compiled().text() + " -> " + condition.word());
        System.out.println("Matches   : " + (matches ? "yes" : "no"));
        System.out.println("Endpoint  : " + EndpointOf.sink(parsed.sink()));
        return null;
    }

    private static RouteMessage read(Path file) {
        try {
            return SampleMessages.fromJson(Files.readString(file, StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new IllegalArgumentException("--message: cannot read " + file + ": " + e.getMessage(), e);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("--message: " + file + ": " + e.getMessage(), e);
        }
    }
}

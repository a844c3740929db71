package io.outpost.cli.route;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.outpost.routing.ParsedRoute;
import io.outpost.routing.RouteParser;
import io.outpost.routing.RouteSyntaxException;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

/**
 * {@code outpost route parse '<route>'}: prints the parsed route as one JSON object and exits 0, or prints
 * {@code error: column <n>: <text>} on stderr and exits 1.
 */
@Command(name = "parse", description = "Parses a route and prints its source, condition and sink as JSON.")
final class RouteParseCommand implements Callable<Integer> {

    private static final ObjectMapper JSON = new ObjectMapper();

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Parameters(index = "0", paramLabel = "<route>", description = "The route, e.g. \"FROM /messages/* INTO $upstream\".")
    String route;

    @Override
    public Integer call() throws Exception {
        ParsedRoute parsed;
        try {
            parsed = RouteParser.parse(route);
        } catch (RouteSyntaxException e) {
            spec.commandLine().getErr().println("error: " + e.getMessage());
            return 1;
        }
        spec.commandLine().getOut().println(JSON.writeValueAsString(toJson(parsed)));
        return 0;
    }

    static ObjectNode toJson(ParsedRoute parsed) {
        ObjectNode root = JSON.createObjectNode();
        ObjectNode source = root.putObject("source");
        source.put("kind", parsed.source().kind().id());
        source.put("module", parsed.source().module());
        source.put("output", parsed.source().output());
        root.put("condition", parsed.condition());
        ObjectNode sink = root.putObject("sink");
        sink.put("kind", parsed.sink().kind().id());
        sink.put("module", parsed.sink().module());
        sink.put("input", parsed.sink().input());
        return root;
    }
}

package io.outpost.cli.route;

import io.outpost.routing.Condition;
import io.outpost.routing.RouteMessage;
import io.outpost.routing.RouteParser;
import io.outpost.routing.RouteSyntaxException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Set;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code outpost route eval '<condition>' --message <file>}: prints {@code true}, {@code false} or
 * {@code undefined} and exits 0; exits 1 when the condition does not compile, 2 when the file cannot be
 * read or is not a message.
 */
@Command(name = "eval", description = "Evaluates a condition against a sample message; prints true, false or undefined.")
final class RouteEvalCommand implements Callable<Integer> {

    private static final Set<String> JSON_ENCODINGS = Set.of("utf-8", "utf-16", "utf-32");

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Parameters(index = "0", paramLabel = "<condition>", description = "A condition as written after WHERE.")
    String condition;

    @Option(names = "--message", required = true, paramLabel = "<file>",
            description = "JSON file: {\"systemProperties\":{...},\"properties\":{...},\"body\":...}")
    Path message;

    @Override
    public Integer call() {
        PrintWriter err = spec.commandLine().getErr();
        Condition compiled;
        try {
            compiled = RouteParser.parseCondition(condition);
        } catch (RouteSyntaxException e) {
            err.println("error: " + e.getMessage());
            return 1;
        }
        RouteMessage msg;
        try {
            msg = MessageFile.read(message);
        } catch (MessageFile.UnreadableException e) {
            err.println("error: " + e.getMessage());
            return 2;
        }
        if (condition.toLowerCase(Locale.ROOT).contains("$body") && !bodyQueryable(msg)) {
            err.println("note: $body is undefined unless systemProperties has contentType application/json"
                    + " and contentEncoding utf-8, utf-16 or utf-32");
        }
        spec.commandLine().getOut().println(compiled.evaluate(msg).word());
        return 0;
    }

    private static boolean bodyQueryable(RouteMessage msg) {
        String type = msg.systemProperty(RouteMessage.CONTENT_TYPE);
        String encoding = msg.systemProperty(RouteMessage.CONTENT_ENCODING);
        return type != null && type.trim().equalsIgnoreCase("application/json") && encoding != null
                && JSON_ENCODINGS.contains(encoding.trim().toLowerCase(Locale.ROOT));
    }
}

package io.outpost.shell.edge;

import io.outpost.common.OutpostException;
import io.outpost.container.ContainerEngine;
import io.outpost.container.LogLine;
import io.outpost.container.LogOptions;
import io.outpost.container.StreamListener;
import io.outpost.container.Subscription;
import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.concurrent.CountDownLatch;
import org.apache.karaf.shell.api.action.Action;
import org.apache.karaf.shell.api.action.Argument;
import org.apache.karaf.shell.api.action.Command;
import org.apache.karaf.shell.api.action.Completion;
import org.apache.karaf.shell.api.action.Option;
import org.apache.karaf.shell.api.action.lifecycle.Reference;
import org.apache.karaf.shell.api.action.lifecycle.Service;

/** {@code edge:module-logs <module>}: a module's container log, like {@code iotedge logs}. */
@Service
@Command(scope = "edge", name = "module-logs", description = "Shows a module's log")
public class ModuleLogsCommand implements Action {

    @Argument(index = 0, name = "module", description = "The module", required = true)
    @Completion(ModuleCompleter.class)
    String module;

    @Option(name = "--tail", description = "Only the last N lines")
    int tail = -1;

    @Option(name = "--since", description = "Only lines since a time: an ISO instant (2026-01-01T10:00:00Z) or a "
            + "duration back from now (90s, 10m, 2h)")
    String since;

    @Option(name = "--follow", aliases = "-f", description = "Keep printing new lines until interrupted (Ctrl-C)")
    boolean follow;

    @Reference
    ContainerEngine engine;

    @Override
    public Object execute() throws InterruptedException {
        if (tail < -1) {
            throw new IllegalArgumentException("--tail must be a number of lines >= 0: " + tail);
        }
        LogOptions options = LogOptions.ALL;
        if (tail >= 0) {
            options = options.withTail(tail);
        }
        if (since != null) {
            options = options.withSince(parseSince(since, Instant.now()));
        }
        if (follow) {
            options = options.following();
        }
        CountDownLatch done = new CountDownLatch(1);
        OutpostException[] failure = new OutpostException[1];
        try (Subscription ignored = engine.logs(module, options, new StreamListener<LogLine>() {
            @Override
            public void onNext(LogLine line) {
                System.out.print(line.text());
                System.out.flush();
            }

            @Override
            public void onComplete() {
                done.countDown();
            }

            @Override
            public void onError(OutpostException error) {
                failure[0] = error;
                done.countDown();
            }
        })) {
            done.await();
        }
        if (failure[0] != null) {
            throw failure[0];
        }
        return null;
    }

    static Instant parseSince(String text, Instant now) {
        try {
            return Instant.parse(text);
        } catch (DateTimeParseException notAnInstant) {
            try {
                return now.minus(Duration.parse("PT" + text.trim().toUpperCase(java.util.Locale.ROOT)));
            } catch (DateTimeParseException e) {
                throw new IllegalArgumentException("--since '" + text
                        + "' is neither an ISO instant nor a duration such as 90s, 10m, 2h", e);
            }
        }
    }
}

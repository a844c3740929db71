package io.outpost.shell.hub;

import io.outpost.hub.DeadLetter;
import io.outpost.hub.MessageStore;
import java.util.List;
import org.apache.karaf.shell.api.action.Action;
import org.apache.karaf.shell.api.action.Argument;
import org.apache.karaf.shell.api.action.Command;
import org.apache.karaf.shell.api.action.Completion;
import org.apache.karaf.shell.api.action.Option;
import org.apache.karaf.shell.api.action.lifecycle.Reference;
import org.apache.karaf.shell.api.action.lifecycle.Service;
import org.apache.karaf.shell.support.table.ShellTable;

/** {@code edge:deadletter-list [endpoint]}: messages endpoints rejected as invalid, oldest first. */
@Service
@Command(scope = "edge", name = "deadletter-list", description = "Lists dead letters (messages an endpoint rejected as invalid)")
public class DeadLetterListCommand implements Action {

    @Reference
    MessageStore store;

    @Argument(index = 0, name = "endpoint", description = "Only this endpoint ($upstream or module/<m>/<input>)")
    @Completion(EndpointCompleter.class)
    String endpoint;

    @Option(name = "--max", description = "At most this many per endpoint (default 100)")
    int max = 100;

    @Override
    public Object execute() {
        if (max < 1) {
            throw new IllegalArgumentException("--max: must be at least 1: " + max);
        }
        if (endpoint != null && !store.endpoints().contains(endpoint)) {
            throw new IllegalArgumentException("endpoint: no queue named " + endpoint);
        }
        ShellTable table = new ShellTable();
        table.column("Endpoint");
        table.column("Id");
        table.column("Priority").alignRight();
        table.column("Enqueued");
        table.column("Dead-lettered");
        table.column("Bytes").alignRight();
        table.column("Reason").maxSize(60);
        for (String e : endpoint == null ? List.copyOf(new java.util.TreeSet<>(store.endpoints())) : List.of(endpoint)) {
            for (DeadLetter d : store.deadLetters(e, max)) {
                table.addRow().addContent(e, d.message().id(), d.message().priority(), d.message().enqueuedAt(),
                        d.deadLetteredAt(), d.message().sizeBytes(), d.reason());
            }
        }
        table.print(System.out);
        return null;
    }
}

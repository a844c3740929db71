package io.outpost.cloud.shell;

import io.outpost.cloud.C2dEntry;
import io.outpost.cloud.C2dState;
import io.outpost.cloud.CloudMessaging;
import java.util.List;
import org.apache.karaf.shell.api.action.Action;
import org.apache.karaf.shell.api.action.Argument;
import org.apache.karaf.shell.api.action.Command;
import org.apache.karaf.shell.api.action.Completion;
import org.apache.karaf.shell.api.action.lifecycle.Reference;
import org.apache.karaf.shell.api.action.lifecycle.Service;
import org.apache.karaf.shell.support.table.ShellTable;

/** {@code cloud:c2d-list <device>}: the device's cloud-to-device queue, oldest first, and counts per state. */
@Service
@Command(scope = "cloud", name = "c2d-list", description = "Lists a device's cloud-to-device queue: queued "
        + "messages and those delivered, expired or purged in the last 48 hours, with counts per state")
public class C2dListCommand implements Action {

    @Argument(index = 0, name = "device", description = "The device id", required = true)
    @Completion(DeviceCompleter.class)
    String device;

    @Reference(optional = true)
    CloudMessaging messaging;

    @Override
    public Object execute() {
        CloudMessaging endpoint = Endpoint.running(messaging);
        List<C2dEntry> entries = endpoint.deviceMessages(device);
        ShellTable table = new ShellTable();
        table.column("Message id");
        table.column("State");
        table.column("Enqueued");
        table.column("Expires");
        table.column("Deliveries");
        table.column("Bytes");
        table.column("Correlation id");
        for (C2dEntry e : entries) {
            table.addRow().addContent(e.message().messageId(), e.state().label(), e.enqueuedAt(), e.expiresAt(),
                    e.deliveryCount(), e.message().body().length, e.message().correlationId());
        }
        table.print(System.out);
        StringBuilder counts = new StringBuilder();
        for (C2dState s : C2dState.values()) {
            counts.append(counts.length() == 0 ? "" : ", ").append(s.label()).append(' ')
                    .append(entries.stream().filter(e -> e.state() == s).count());
        }
        System.out.println(counts);
        return null;
    }
}

package io.outpost.shell.edge;

import io.outpost.deployment.ModuleStatus;
import java.io.PrintStream;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.apache.karaf.shell.support.table.ShellTable;

/** Renders modules like {@code iotedge list}: one row per module, its state and why. */
final class ModuleTable {

    private ModuleTable() {
    }

    static void print(List<ModuleStatus> modules, Instant now, PrintStream out) {
        ShellTable table = new ShellTable();
        table.column("Name");
        table.column("Desired");
        table.column("Status");
        table.column("Description").maxSize(60);
        table.column("Restarts").alignRight();
        table.column("Exit").alignRight();
        table.column("Uptime").alignRight();
        table.column("Image");
        for (ModuleStatus m : modules) {
            String uptime = m.runtimeStatus() == io.outpost.deployment.RuntimeStatus.RUNNING
                    ? m.lastStartTime().map(t -> human(Duration.between(t, now))).orElse("") : "";
            table.addRow().addContent(m.name(), m.desiredStatus(), m.runtimeStatus().wireName(),
                    m.statusDescription(), m.restartCount(), m.exitCode(), uptime, m.image());
        }
        table.print(out);
    }

    static String human(Duration d) {
        long s = Math.max(0, d.toSeconds());
        if (s < 120) {
            return s + "s";
        }
        if (s < 7200) {
            return (s / 60) + "m";
        }
        return s < 172800 ? (s / 3600) + "h" : (s / 86400) + "d";
    }
}

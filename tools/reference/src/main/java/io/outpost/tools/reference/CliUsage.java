package io.outpost.tools.reference;

import io.outpost.cli.OutpostCli;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import picocli.CommandLine;

/** The usage text picocli prints for {@code outpost} and each of its subcommands, without colours. */
final class CliUsage {

    /** One command's qualified name ("outpost manifest validate") and its usage text. */
    record Usage(String name, String text) {
    }

    private CliUsage() {
    }

    static List<Usage> all() {
        List<Usage> out = new ArrayList<>();
        collect(new CommandLine(new OutpostCli()), out);
        return out;
    }

    private static void collect(CommandLine cli, List<Usage> out) {
        cli.setUsageHelpWidth(80);
        out.add(new Usage(cli.getCommandSpec().qualifiedName(), cli.getUsageMessage(CommandLine.Help.Ansi.OFF)));
        // aliases map to the same CommandLine: each subcommand once, in declaration order
        for (CommandLine sub : new LinkedHashSet<>(cli.getSubcommands().values())) {
            if (!sub.getCommandSpec().usageMessage().hidden()) {
                collect(sub, out);
            }
        }
    }
}

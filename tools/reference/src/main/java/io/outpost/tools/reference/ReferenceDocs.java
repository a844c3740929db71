package io.outpost.tools.reference;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * Writes or checks {@code docs/reference/shell.md} and {@code docs/reference/cli.md}, generated from the commands
 * themselves (see {@link KarafCommands}, {@link CliUsage}, {@link OutpostHelp}, {@link CommandAcl}).
 *
 * <pre>
 *   ReferenceDocs --write &lt;repository root&gt;   (re)writes both files
 *   ReferenceDocs --check &lt;repository root&gt;   exits 1 naming each file that differs
 * </pre>
 */
public final class ReferenceDocs {

    static final String SHELL_MD = "docs/reference/shell.md";
    static final String CLI_MD = "docs/reference/cli.md";
    static final String REGENERATE = "scripts/gen-reference.sh";
    private static final String GENERATED = "> Generated from the commands themselves by `" + REGENERATE + "`; the build "
            + "fails when this file\n> differs from what they declare. Do not edit it by hand.\n";

    private ReferenceDocs() {
    }

    public static void main(String[] args) {
        if (args.length != 2 || !(args[0].equals("--write") || args[0].equals("--check"))) {
            System.err.println("usage: ReferenceDocs --write|--check <repository root>");
            System.exit(2);
        }
        Path root = Path.of(args[1]).toAbsolutePath().normalize();
        Map<String, String> docs = generate(root);
        if (args[0].equals("--write")) {
            for (Map.Entry<String, String> e : docs.entrySet()) {
                write(root.resolve(e.getKey()), e.getValue());
                System.out.println("wrote " + e.getKey());
            }
            return;
        }
        List<String> problems = differences(root, docs);
        problems.forEach(System.err::println);
        System.exit(problems.isEmpty() ? 0 : 1);
    }

    /** The generated files by path relative to the repository root. */
    static Map<String, String> generate(Path root) {
        Map<String, String> docs = new LinkedHashMap<>();
        docs.put(SHELL_MD, shellMarkdown(KarafCommands.read(root), CommandAcl.read(root)));
        docs.put(CLI_MD, cliMarkdown(OutpostHelp.text(root), CliUsage.all()));
        return docs;
    }

    /** One message per committed file that differs from the generated one (empty when all agree). */
    static List<String> differences(Path root, Map<String, String> docs) {
        List<String> problems = new ArrayList<>();
        for (Map.Entry<String, String> e : docs.entrySet()) {
            Path file = root.resolve(e.getKey());
            String committed;
            try {
                committed = Files.isRegularFile(file) ? Files.readString(file, StandardCharsets.UTF_8) : null;
            } catch (IOException ex) {
                throw new UncheckedIOException("cannot read " + file, ex);
            }
            if (committed == null) {
                problems.add(e.getKey() + " is missing. Regenerate it with: " + REGENERATE);
            } else if (!committed.equals(e.getValue())) {
                problems.add(e.getKey() + " differs from what the commands declare ("
                        + firstDifference(committed, e.getValue()) + "). Regenerate it with: " + REGENERATE);
            }
        }
        return problems;
    }

    private static String firstDifference(String committed, String generated) {
        String[] a = committed.split("\n", -1);
        String[] b = generated.split("\n", -1);
        for (int i = 0; i < Math.max(a.length, b.length); i++) {
            String x = i < a.length ? a[i] : "<end of file>";
            String y = i < b.length ? b[i] : "<end of file>";
            if (!x.equals(y)) {
                return "line " + (i + 1) + ": committed \"" + x + "\", generated \"" + y + "\"";
            }
        }
        return "line endings";
    }

    private static void write(Path file, String text) {
        try {
            Files.createDirectories(file.getParent());
            Files.writeString(file, text, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + file, e);
        }
    }

    static String shellMarkdown(List<ShellCommand> commands, CommandAcl acl) {
        StringBuilder md = new StringBuilder();
        md.append("# Console command reference\n\n").append(GENERATED).append('\n');
        md.append("""
                Outpost's commands in the Karaf console: type them in `bin/outpost shell`, or run one and exit
                with `bin/outpost shell <command>`. The scope (`edge:`) may be left out when the name is unique.
                Options come before the arguments (Karaf's parser); `<command> --help` prints a command's help in
                the console.

                The role is what Karaf's command ACL (`org.apache.karaf.command.acl.<scope>` in
                `features/src/main/feature/feature.xml`) requires: `viewer` commands read, `admin` commands
                change. The console user that `bin/outpost init` creates has both; "any user" means no ACL entry
                names the command.

                """);
        Map<String, List<ShellCommand>> byScope = commands.stream()
                .collect(Collectors.groupingBy(ShellCommand::scope, LinkedHashMap::new, Collectors.toList()));
        for (Map.Entry<String, List<ShellCommand>> scope : byScope.entrySet()) {
            String modules = scope.getValue().stream().map(c -> "`" + c.module() + "`").distinct()
                    .collect(Collectors.joining(", "));
            md.append("## Scope `").append(scope.getKey()).append("`\n\n");
            md.append("From ").append(modules).append(".\n\n");
            md.append("| command | role | description |\n|---|---|---|\n");
            for (ShellCommand c : scope.getValue()) {
                md.append("| [").append(c.qualifiedName()).append("](#").append(anchor(c.qualifiedName())).append(") | ")
                        .append(acl.role(c.qualifiedName())).append(" | ").append(cell(c.description())).append(" |\n");
            }
            md.append('\n');
            for (ShellCommand c : scope.getValue()) {
                command(md, c, acl);
            }
        }
        return md.toString().stripTrailing() + "\n";
    }

    private static void command(StringBuilder md, ShellCommand c, CommandAcl acl) {
        md.append("### ").append(c.qualifiedName()).append("\n\n");
        md.append(sentence(text(c.description()))).append("\n\n");
        if (!c.detailedDescription().isEmpty()) {
            md.append(text(c.detailedDescription())).append("\n\n");
        }
        md.append("Role: ").append(acl.role(c.qualifiedName())).append(". Class: `").append(c.className())
                .append("`.\n\n");
        StringBuilder usage = new StringBuilder(c.qualifiedName());
        if (!c.options().isEmpty()) {
            usage.append(" [options]");
        }
        for (ShellCommand.Argument a : c.arguments()) {
            String n = a.name() + (a.multiValued() ? "..." : "");
            usage.append(' ').append(a.required() ? n : "[" + n + "]");
        }
        md.append("```\n").append(usage).append("\n```\n\n");
        if (!c.arguments().isEmpty()) {
            md.append("| argument | required | description |\n|---|---|---|\n");
            for (ShellCommand.Argument a : c.arguments()) {
                md.append("| `").append(a.name()).append(a.multiValued() ? "...`" : "`").append(" | ")
                        .append(a.required() ? "yes" : "no").append(" | ").append(cell(a.description())).append(" |\n");
            }
            md.append('\n');
        }
        if (!c.options().isEmpty()) {
            md.append("| option | value | description |\n|---|---|---|\n");
            for (ShellCommand.Option o : c.options()) {
                List<String> names = new ArrayList<>();
                names.add(o.name());
                names.addAll(o.aliases());
                String value = o.flag() ? "none (flag)" : o.type() + (o.multiValued() ? ", repeatable" : "");
                md.append("| ").append(names.stream().map(n -> "`" + n + "`").collect(Collectors.joining(", ")))
                        .append(" | ").append(value).append(" | ").append(cell(o.description()))
                        .append(o.required() ? " (required)" : "").append(" |\n");
            }
            md.append('\n');
        }
    }

    static String cliMarkdown(String help, List<CliUsage.Usage> usages) {
        StringBuilder md = new StringBuilder();
        md.append("# `bin/outpost` reference\n\n").append(GENERATED).append('\n');
        md.append("""
                `bin/outpost` (in the assembly's `bin/`) runs the runtime's life cycle itself, hands the module
                commands to the running runtime's console (see [shell.md](shell.md)), and runs every other
                subcommand offline in a plain JVM, with no runtime needed (the picocli commands of
                `bundles/outpost-cli`).

                ## `outpost help`

                """);
        md.append("```text\n").append(help.stripTrailing()).append("\n```\n\n");
        md.append("## Offline commands\n\n");
        md.append("Exit codes: 0 success, 1 the input was understood and is wrong (invalid manifest, route that does\n"
                + "not parse), 2 the command itself could not run (unreadable file, bad usage).\n\n");
        for (CliUsage.Usage u : usages) {
            md.append("### ").append(u.name()).append("\n\n");
            md.append("```text\n").append(u.text().stripTrailing()).append("\n```\n\n");
        }
        return md.toString().stripTrailing() + "\n";
    }

    /** A GitHub heading anchor: lower case, punctuation other than - and _ dropped, spaces as -. */
    static String anchor(String heading) {
        return heading.toLowerCase(Locale.ROOT).replaceAll("[^a-z0-9 _-]", "").replace(' ', '-');
    }

    /** Ends with a full stop unless it already ends with punctuation. */
    private static String sentence(String s) {
        return s.isEmpty() || ".!?:".indexOf(s.charAt(s.length() - 1)) >= 0 ? s : s + ".";
    }

    /** Text safe in Markdown: angle brackets and asterisks escaped. */
    private static String text(String s) {
        return s.replace("\\", "\\\\").replace("<", "\\<").replace("*", "\\*");
    }

    /** Text safe in a table cell: also pipes escaped and line breaks joined. */
    private static String cell(String s) {
        return text(s).replace("|", "\\|").replace('\n', ' ');
    }
}

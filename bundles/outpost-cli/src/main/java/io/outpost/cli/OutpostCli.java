package io.outpost.cli;

import io.outpost.cli.manifest.ManifestCommand;
import io.outpost.cli.route.RouteCommand;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.util.Properties;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/**
 * The offline commands of {@code bin/outpost}: those that work with no runtime running. The shell script
 * handles the runtime's life cycle (start, stop, status, shell) and hands every other subcommand here.
 *
 * <p>Exit codes follow one rule across subcommands: 0 success, 1 the input was understood and is wrong
 * (invalid manifest, route that does not parse), 2 the command itself could not run (unreadable file, bad
 * usage).
 */
@Command(name = "outpost", mixinStandardHelpOptions = true, versionProvider = OutpostCli.Version.class,
        description = "Outpost edge runtime: offline commands.",
        subcommands = {OutpostCli.VersionCommand.class, ManifestCommand.class, RouteCommand.class})
public final class OutpostCli implements Runnable {

    public static void main(String[] args) {
        System.exit(run(args, new PrintWriter(System.out, true), new PrintWriter(System.err, true)));
    }

    /** Runs the CLI with the given streams and returns its exit code (used by tests). */
    public static int run(String[] args, PrintWriter out, PrintWriter err) {
        CommandLine cli = new CommandLine(new OutpostCli());
        cli.setOut(out);
        cli.setErr(err);
        cli.setExitCodeExceptionMapper(e -> 2);
        cli.setParameterExceptionHandler((e, a) -> {
            err.println("error: " + e.getMessage());
            e.getCommandLine().usage(err);
            return 2;
        });
        return cli.execute(args);
    }

    @Override
    public void run() {
        // "outpost" with no subcommand: show what there is.
        new CommandLine(this).usage(System.out);
    }

    /** The project version, from a resource filtered at build time. */
    public static String version() {
        try (InputStream in = OutpostCli.class.getResourceAsStream("version.properties")) {
            Properties p = new Properties();
            if (in != null) {
                p.load(in);
            }
            return p.getProperty("version", "unknown");
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read version.properties", e);
        }
    }

    static final class Version implements CommandLine.IVersionProvider {
        @Override
        public String[] getVersion() {
            return new String[] {"Outpost " + version()};
        }
    }

    @Command(name = "version", description = "Prints the Outpost version and the Java it runs on.")
    static final class VersionCommand implements Runnable {
        @CommandLine.Spec
        CommandLine.Model.CommandSpec spec;

        @Override
        public void run() {
            PrintWriter out = spec.commandLine().getOut();
            out.println("Outpost " + version());
            out.println("Java " + System.getProperty("java.version") + " (" + System.getProperty("java.vendor") + ")");
        }
    }
}

package io.outpost.cli.manifest;

import io.outpost.manifest.DeploymentManifest;
import io.outpost.manifest.ManifestLimits;
import io.outpost.manifest.ManifestParser;
import io.outpost.manifest.ValidationResult;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintWriter;
import java.nio.file.AccessDeniedException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code outpost manifest ...}: offline checks of Azure IoT Edge deployment manifests. */
@Command(name = "manifest", mixinStandardHelpOptions = true,
        description = "Checks Azure IoT Edge deployment manifests; needs no running runtime.",
        subcommands = {ManifestCommand.ValidateCommand.class})
public final class ManifestCommand implements Runnable {

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        throw new CommandLine.ParameterException(spec.commandLine(), "missing subcommand: validate");
    }

    /**
     * {@code outpost manifest validate <file>}: exit 0 when valid (warnings on stderr), 1 when invalid
     * (errors on stderr), 2 when the file cannot be read. Each problem is one stderr line,
     * {@code error: <json-pointer>: <text>} or {@code warning: <json-pointer>: <text>}; stdout gets a
     * one-line summary.
     */
    @Command(name = "validate", mixinStandardHelpOptions = true,
            description = "Validates a deployment manifest and lists every error and warning.",
            exitCodeListHeading = "%nExit codes:%n",
            exitCodeList = {"0:valid (warnings, if any, on stderr)", "1:invalid (errors on stderr)",
                "2:the file cannot be read, or bad usage"})
    static final class ValidateCommand implements Callable<Integer> {

        @CommandLine.Spec
        CommandLine.Model.CommandSpec spec;

        @Parameters(index = "0", paramLabel = "<file>", description = "The manifest (JSON) to validate.")
        Path file;

        @Option(names = "--max-bytes", paramLabel = "<n>", defaultValue = "" + ManifestLimits.DEFAULT_MAX_BYTES,
                description = "Refuse manifests larger than this many bytes (default: ${DEFAULT-VALUE}).")
        int maxBytes;

        @Override
        public Integer call() {
            PrintWriter out = spec.commandLine().getOut();
            PrintWriter err = spec.commandLine().getErr();
            ManifestParser parser = new ManifestParser(new ManifestLimits(maxBytes, ManifestLimits.DEFAULT_MAX_DEPTH,
                    ManifestLimits.DEFAULT_MAX_PROBLEMS));
            ValidationResult result;
            try (InputStream in = Files.newInputStream(file)) {
                result = parser.parse(in);
            } catch (IOException e) {
                err.println("error: cannot read " + file + ": " + reason(e));
                return 2;
            }
            result.problems().forEach(err::println);
            out.println(summary(result));
            return result.valid() ? 0 : 1;
        }

        private String summary(ValidationResult result) {
            String problems = count(result.errors().size(), "error") + ", "
                    + count(result.warnings().size(), "warning");
            if (result.manifest().isEmpty()) {
                var code = result.errorCode().orElseThrow();
                return file + ": invalid (" + code.code() + ", Azure status " + code.azureStatus() + "); " + problems;
            }
            DeploymentManifest m = result.manifest().get();
            return file + ": valid; " + count(m.modules().size(), "module") + ", "
                    + count(m.hub().routes().size(), "route") + ", $edgeAgent schema " + m.agentSchemaVersion()
                    + ", $edgeHub schema " + m.hub().schemaVersion() + "; " + problems;
        }

        private static String count(int n, String noun) {
            return n + " " + noun + (n == 1 ? "" : "s");
        }

        private static String reason(IOException e) {
            if (e instanceof NoSuchFileException) {
                return "no such file";
            }
            if (e instanceof AccessDeniedException) {
                return "permission denied";
            }
            return e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
        }
    }
}

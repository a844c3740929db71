package io.outpost.cli.manifest;

import static org.assertj.core.api.Assertions.assertThat;

import io.outpost.cli.OutpostCli;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ManifestCommandTest {

    private static final String AGENT = "/modulesContent/$edgeAgent/properties.desired";

    private static final String VALID = """
            {
              "modulesContent": {
                "$edgeAgent": {
                  "properties.desired": {
                    "schemaVersion": "1.1",
                    "runtime": { "type": "docker", "settings": { "minDockerVersion": "v1.25" } },
                    "systemModules": {
                      "edgeAgent": { "type": "docker", "settings": { "image": "mcr.microsoft.com/azureiotedge-agent:1.5" } },
                      "edgeHub": { "type": "docker", "status": "running", "restartPolicy": "always",
                                   "settings": { "image": "mcr.microsoft.com/azureiotedge-hub:1.5" } }
                    },
                    "modules": {
                      "sensor": { "version": "1.0", "type": "docker", "status": "running", "restartPolicy": "%s",
                                  "settings": { "image": "localhost:5000/sensor:1.0", "createOptions": "{}" } }
                    }
                  }
                },
                "$edgeHub": {
                  "properties.desired": {
                    "schemaVersion": "1.1",
                    "routes": { "toFilter": "%s" },
                    "storeAndForwardConfiguration": { "timeToLiveSecs": 7200 }
                  }
                }
              }
            }
            """;
    private static final String UPSTREAM = "FROM /messages/* INTO $upstream";

    @TempDir
    Path dir;

    private final StringWriter out = new StringWriter();
    private final StringWriter err = new StringWriter();

    private int run(String... args) {
        return OutpostCli.run(args, new PrintWriter(out, true), new PrintWriter(err, true));
    }

    private Path file(String restartPolicy, String route) throws IOException {
        return Files.writeString(dir.resolve("deployment.json"), VALID.formatted(restartPolicy, route));
    }

    @Test
    void givenValidManifest_whenValidate_thenExitZeroAndSummaryOnStdout() throws IOException {
        Path manifest = file("always", UPSTREAM);

        assertThat(run("manifest", "validate", manifest.toString())).isZero();

        assertThat(err.toString()).isEmpty();
        assertThat(out.toString()).isEqualTo(manifest + ": valid; 1 module, 1 route, $edgeAgent schema 1.1, "
                + "$edgeHub schema 1.1; 0 errors, 0 warnings" + System.lineSeparator());
    }

    @Test
    void givenManifestWithWarning_whenValidate_thenExitZeroAndWarningLineOnStderr() throws IOException {
        Path manifest = file("always", "FROM /messages/* INTO BrokeredEndpoint(\\\"/modules/filter/inputs/in\\\")");

        assertThat(run("manifest", "validate", manifest.toString())).isZero();

        assertThat(err.toString().lines()).containsExactly("warning: /modulesContent/$edgeHub/properties.desired"
                + "/routes/toFilter: the route sends to BrokeredEndpoint of module \"filter\", which the manifest "
                + "does not declare under modules");
        assertThat(out.toString()).contains("valid; 1 module").contains("0 errors, 1 warning");
    }

    @Test
    void givenInvalidManifest_whenValidate_thenExitOneAndErrorLinesOnStderr() throws IOException {
        Path manifest = file("sometimes", "SELECT nothing");

        assertThat(run("manifest", "validate", manifest.toString())).isEqualTo(1);

        assertThat(err.toString().lines()).containsExactly(
                "error: " + AGENT + "/modules/sensor/restartPolicy: \"sometimes\" is not a restart policy; expected "
                        + "one of never, on-failure, on-unhealthy, always",
                "error: /modulesContent/$edgeHub/properties.desired/routes/toFilter: the route does not parse at "
                        + "column 8: expected '*' after SELECT");
        assertThat(out.toString()).contains("invalid (manifest-invalid, Azure status 400); 2 errors, 0 warnings");
    }

    @Test
    void givenRouteWithBrokenWhere_whenValidate_thenExitOneNamingTheRouteAndColumn() throws IOException {
        Path manifest = file("always", "FROM /messages/* WHERE temperature > INTO $upstream");

        assertThat(run("manifest", "validate", manifest.toString())).isEqualTo(1);

        assertThat(err.toString().lines()).containsExactly("error: /modulesContent/$edgeHub/properties.desired"
                + "/routes/toFilter: the route does not parse at column 38: expected a value, a name, a function "
                + "call or '(', found 'INTO'");
        assertThat(out.toString()).contains("invalid (manifest-invalid, Azure status 400); 1 error, 0 warnings");
    }

    @Test
    void givenFileThatIsNotJson_whenValidate_thenExitOneWithLineAndColumn() throws IOException {
        Path manifest = Files.writeString(dir.resolve("broken.json"), "{\n  \"modulesContent\": [1,\n}");

        assertThat(run("manifest", "validate", manifest.toString())).isEqualTo(1);

        assertThat(err.toString()).startsWith("error: /modulesContent/1: not valid JSON at line 3, column 1: ");
    }

    @Test
    void givenManifestAboveMaxBytes_whenValidate_thenExitOneTooLarge() throws IOException {
        Path manifest = file("always", UPSTREAM);

        assertThat(run("manifest", "validate", "--max-bytes", "100", manifest.toString())).isEqualTo(1);

        assertThat(err.toString()).isEqualTo("error: : the manifest is larger than the limit of 100 bytes"
                + System.lineSeparator());
        assertThat(out.toString()).contains("manifest-too-large");
    }

    @Test
    void givenMissingFile_whenValidate_thenExitTwo() {
        Path missing = dir.resolve("nope.json");

        assertThat(run("manifest", "validate", missing.toString())).isEqualTo(2);

        assertThat(err.toString()).isEqualTo("error: cannot read " + missing + ": no such file" + System.lineSeparator());
        assertThat(out.toString()).isEmpty();
    }

    @Test
    void givenDirectory_whenValidate_thenExitTwo() {
        assertThat(run("manifest", "validate", dir.toString())).isEqualTo(2);

        assertThat(err.toString()).startsWith("error: cannot read " + dir + ": ");
    }

    @Test
    void givenNoFileArgument_whenValidate_thenExitTwoWithUsage() {
        assertThat(run("manifest", "validate")).isEqualTo(2);

        assertThat(err.toString()).contains("error: ").contains("<file>").contains("Usage:");
    }

    @Test
    void givenNoSubcommand_whenManifest_thenExitTwoWithUsage() {
        assertThat(run("manifest")).isEqualTo(2);

        assertThat(err.toString()).contains("missing subcommand: validate").contains("Usage:");
    }
}

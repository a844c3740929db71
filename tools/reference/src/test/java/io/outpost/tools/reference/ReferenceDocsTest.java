package io.outpost.tools.reference;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The committed reference docs are exactly what the commands declare. Runs after every bundle of the reactor is
 * compiled (this module is listed after bundles/ in the root pom).
 */
class ReferenceDocsTest {

    private static Path root;
    private static Map<String, String> generated;

    @BeforeAll
    static void generate() {
        root = repositoryRoot();
        generated = ReferenceDocs.generate(root);
    }

    static Path repositoryRoot() {
        Path dir = Path.of(System.getProperty("basedir", ".")).toAbsolutePath().normalize();
        while (dir != null && !(Files.isDirectory(dir.resolve("bundles")) && Files.isDirectory(dir.resolve("docs")))) {
            dir = dir.getParent();
        }
        assertThat(dir).as("repository root above " + System.getProperty("basedir")).isNotNull();
        return dir;
    }

    @Test
    void committedReferenceMatchesTheCommands() {
        List<String> problems = ReferenceDocs.differences(root, generated);
        assertThat(problems).as(String.join("\n", problems)).isEmpty();
    }

    @Test
    void everyModuleWithKarafCommandsIsFoundAndEachCommandHasItsRole() {
        List<Path> modules = KarafCommands.modulesWithCommands(root);
        assertThat(modules).contains(Path.of("bundles/outpost-shell"));
        List<ShellCommand> commands = KarafCommands.read(root);
        assertThat(commands).extracting(ShellCommand::qualifiedName).contains("edge:deploy", "edge:module-list");
        ShellCommand deploy = commands.stream().filter(c -> c.qualifiedName().equals("edge:deploy")).findFirst()
                .orElseThrow();
        assertThat(deploy.arguments()).extracting(ShellCommand.Argument::name).containsExactly("file");
        assertThat(deploy.options()).extracting(ShellCommand.Option::name).contains("--timeout", "--no-wait");
        assertThat(deploy.options()).filteredOn(o -> o.name().equals("--no-wait")).allMatch(ShellCommand.Option::flag);
        CommandAcl acl = CommandAcl.read(root);
        assertThat(acl.role("edge:deploy")).isEqualTo("admin");
        assertThat(acl.role("edge:module-list")).isEqualTo("viewer");
        assertThat(generated.get(ReferenceDocs.SHELL_MD)).contains("### edge:deploy", "| `--no-wait` | none (flag) |");
    }

    @Test
    void cliReferenceHoldsTheScriptHelpAndEveryPicocliCommand() {
        String cli = generated.get(ReferenceDocs.CLI_MD);
        assertThat(cli).contains("Usage: outpost <command> [arguments]", "Offline (no runtime needed):");
        assertThat(CliUsage.all()).extracting(CliUsage.Usage::name)
                .contains("outpost", "outpost version", "outpost manifest validate", "outpost route eval");
        assertThat(cli).doesNotContain("\u001b[");
    }
}

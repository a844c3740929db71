package io.outpost.testing;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * The tests of every module under bundles/, samples/, itests/ and bench/ stay inside their module: no test class
 * declares a package that another module's main code owns, and no test refers to another module's
 * {@code .internal} packages. Fixtures that need a bundle's internals are published by that bundle in the public
 * {@code testing} package of its test-jar; fixtures that need none live in this module.
 */
class TestBoundariesTest {

    private static final List<String> TREES = List.of("bundles", "samples", "itests", "bench", "tools");
    private static final List<String> CHECKED = List.of("bundles", "samples", "itests", "bench");
    private static final Pattern PACKAGE = Pattern.compile("^package\\s+([\\w.]+)\\s*;", Pattern.MULTILINE);
    private static final Pattern INTERNAL_REF = Pattern.compile("\\bio\\.outpost(?:\\.[a-z_][\\w]*)*\\.internal\\b"
            + "(?:\\.[a-z_][\\w]*)*");

    private final Path root = Path.of(System.getProperty("outpost.root", "../..")).toAbsolutePath().normalize();

    @Test
    void givenTheSourceTree_whenTestsAreScanned_thenNoneDeclaresOrReachesIntoAnotherModulesPackages() {
        assertThat(violations(root)).isEmpty();
    }

    @Test
    void givenATestInAnotherModulesInternalPackage_whenScanned_thenBothViolationsAreNamed() throws IOException {
        Path tree = Files.createTempDirectory("boundaries");
        write(tree, "bundles/outpost-a/src/main/java/io/outpost/a/internal/Thing.java",
                "package io.outpost.a.internal;\npublic class Thing {}\n");
        write(tree, "bundles/outpost-b/src/main/java/io/outpost/b/internal/Other.java",
                "package io.outpost.b.internal;\nclass Other {}\n");
        write(tree, "bundles/outpost-b/src/test/java/io/outpost/a/internal/Sneaky.java",
                "package io.outpost.a.internal;\nclass Sneaky {}\n");
        write(tree, "bundles/outpost-b/src/test/java/io/outpost/b/internal/UsesThing.java",
                "package io.outpost.b.internal;\nimport io.outpost.a.internal.Thing;\nclass UsesThing {}\n");
        write(tree, "bundles/outpost-b/src/test/java/io/outpost/b/internal/OwnTest.java",
                "package io.outpost.b.internal;\nimport io.outpost.b.internal.Other;\nclass OwnTest {}\n");

        assertThat(violations(tree)).containsExactly(
                "bundles/outpost-b/src/test/java/io/outpost/a/internal/Sneaky.java declares package "
                        + "io.outpost.a.internal of bundles/outpost-a",
                "bundles/outpost-b/src/test/java/io/outpost/b/internal/UsesThing.java refers to "
                        + "io.outpost.a.internal of bundles/outpost-a");
    }

    /** Every violation in the tree, one line each: the file (relative to the root) and the foreign package. */
    static List<String> violations(Path root) {
        Map<String, String> owners = mainPackageOwners(root);
        List<String> out = new ArrayList<>();
        for (Path file : javaFiles(root, CHECKED, "/src/test/")) {
            String rel = root.relativize(file).toString().replace('\\', '/');
            String module = rel.substring(0, rel.indexOf("/src/test/"));
            String text = read(file);
            Matcher pkg = PACKAGE.matcher(text);
            if (pkg.find()) {
                String owner = owners.get(pkg.group(1));
                if (owner != null && !owner.equals(module)) {
                    out.add(rel + " declares package " + pkg.group(1) + " of " + owner);
                }
            }
            Matcher ref = INTERNAL_REF.matcher(pkg.find(0) ? text.substring(pkg.end()) : text);
            while (ref.find()) {
                Optional<String> foreign = ownerOf(owners, ref.group()).filter(o -> !o.equals(module));
                String line = rel + " refers to " + packageOf(owners, ref.group()) + " of " + foreign.orElse("");
                if (foreign.isPresent() && !out.contains(line)) {
                    out.add(line);
                }
            }
        }
        return out;
    }

    /** Each package of the modules' main code, with the module (path relative to the root) that holds it. */
    private static Map<String, String> mainPackageOwners(Path root) {
        Map<String, String> owners = new TreeMap<>();
        for (Path file : javaFiles(root, TREES, "/src/main/")) {
            String rel = root.relativize(file).toString().replace('\\', '/');
            Matcher pkg = PACKAGE.matcher(read(file));
            if (pkg.find()) {
                owners.putIfAbsent(pkg.group(1), rel.substring(0, rel.indexOf("/src/main/")));
            }
        }
        return owners;
    }

    /** The longest prefix of a qualified name that is a main package: a class may follow it. */
    private static String packageOf(Map<String, String> owners, String name) {
        for (String candidate = name; candidate.contains("."); candidate = candidate.substring(0,
                candidate.lastIndexOf('.'))) {
            if (owners.containsKey(candidate)) {
                return candidate;
            }
        }
        return name;
    }

    private static Optional<String> ownerOf(Map<String, String> owners, String name) {
        return Optional.ofNullable(owners.get(packageOf(owners, name)));
    }

    private static List<Path> javaFiles(Path root, List<String> trees, String part) {
        List<Path> files = new ArrayList<>();
        for (String tree : trees) {
            Path dir = root.resolve(tree);
            if (!Files.isDirectory(dir)) {
                continue;
            }
            try (Stream<Path> walk = Files.walk(dir)) {
                walk.filter(p -> p.toString().endsWith(".java"))
                        .filter(p -> p.toString().replace('\\', '/').contains(part))
                        .filter(p -> !p.toString().replace('\\', '/').contains("/target/"))
                        .sorted()
                        .forEach(files::add);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        return files;
    }

    private static String read(Path file) {
        try {
            return Files.readString(file);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static void write(Path root, String rel, String text) throws IOException {
        Path file = root.resolve(rel);
        Files.createDirectories(file.getParent());
        Files.writeString(file, text);
    }
}

package io.outpost.tools.reference;

import java.io.File;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.concurrent.TimeUnit;
import java.util.jar.JarEntry;
import java.util.jar.JarOutputStream;
import java.util.stream.Stream;

/**
 * The text of {@code bin/outpost help}, from the real script of {@code assembly/src/main/dist/bin/outpost}: it is
 * run with bash in a temporary Outpost home whose {@code lib/cli/} holds this JVM's class path (outpost-cli and
 * its libraries, folders packed into jars), as the assembly lays it out.
 */
final class OutpostHelp {

    static final String SCRIPT = "assembly/src/main/dist/bin/outpost";

    private OutpostHelp() {
    }

    static String text(Path root) {
        Path script = root.resolve(SCRIPT);
        if (!Files.isRegularFile(script)) {
            throw new IllegalStateException("missing " + script);
        }
        Path home = null;
        try {
            home = Files.createTempDirectory("outpost-reference-home");
            Files.createDirectories(home.resolve("bin"));
            Files.copy(script, home.resolve("bin/outpost"));
            Path lib = Files.createDirectories(home.resolve("lib/cli"));
            int i = 0;
            for (String entry : System.getProperty("java.class.path").split(File.pathSeparator)) {
                Path p = Path.of(entry);
                Path target = lib.resolve(String.format("%03d-%s", i++, p.getFileName()
                        + (Files.isDirectory(p) ? ".jar" : "")));
                if (Files.isDirectory(p)) {
                    jar(p, target);
                } else if (entry.endsWith(".jar") && Files.isRegularFile(p)) {
                    Files.copy(p, target);
                }
            }
            ProcessBuilder pb = new ProcessBuilder("bash", home.resolve("bin/outpost").toString(), "help");
            pb.environment().put("JAVA_HOME", System.getProperty("java.home"));
            Path err = home.resolve("stderr.txt");
            pb.redirectError(err.toFile());
            Process process = pb.start();
            process.getOutputStream().close();
            String out = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            if (!process.waitFor(60, TimeUnit.SECONDS) || process.exitValue() != 0) {
                throw new IllegalStateException("bin/outpost help failed: " + Files.readString(err));
            }
            return out;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot run bin/outpost help", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        } finally {
            delete(home);
        }
    }

    private static void jar(Path dir, Path target) throws IOException {
        try (OutputStream file = Files.newOutputStream(target); JarOutputStream jar = new JarOutputStream(file);
                Stream<Path> files = Files.walk(dir)) {
            for (Path p : files.filter(Files::isRegularFile).sorted().toList()) {
                jar.putNextEntry(new JarEntry(dir.relativize(p).toString().replace('\\', '/')));
                Files.copy(p, jar);
                jar.closeEntry();
            }
        }
    }

    private static void delete(Path dir) {
        if (dir == null) {
            return;
        }
        try {
            Files.walkFileTree(dir, new SimpleFileVisitor<>() {
                @Override
                public FileVisitResult visitFile(Path file, BasicFileAttributes attrs) throws IOException {
                    Files.delete(file);
                    return FileVisitResult.CONTINUE;
                }

                @Override
                public FileVisitResult postVisitDirectory(Path d, IOException e) throws IOException {
                    Files.delete(d);
                    return FileVisitResult.CONTINUE;
                }
            });
        } catch (IOException e) {
            // a leftover temporary folder is harmless
        }
    }
}

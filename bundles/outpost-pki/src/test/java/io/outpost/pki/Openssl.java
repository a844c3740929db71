package io.outpost.pki;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** Runs the openssl command line tool (Debian's openssl package) in a folder, as an independent implementation. */
final class Openssl {

    private Openssl() {
    }

    /** Runs {@code openssl <args>} in {@code dir}; its standard output, or an AssertionError naming the failure. */
    static String run(Path dir, String... args) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>();
        command.add("openssl");
        command.addAll(List.of(args));
        Process p;
        try {
            p = new ProcessBuilder(command).directory(dir.toFile()).redirectErrorStream(true).start();
        } catch (IOException e) {
            throw new AssertionError("openssl is not installed: apt-get install -y openssl", e);
        }
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!p.waitFor(60, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            throw new AssertionError("openssl " + String.join(" ", args) + " did not finish");
        }
        if (p.exitValue() != 0) {
            throw new AssertionError("openssl " + String.join(" ", args) + " exited " + p.exitValue() + ": " + out);
        }
        return out;
    }
}

package io.outpost.itests;

import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/** Runs an operator's command (a script of the assembly) and captures its exit code and output. */
final class ProcessRunner {

    record Result(List<String> command, int exitCode, String output, Duration took) {
        Result assertExit(int expected) {
            if (exitCode != expected) {
                throw new AssertionError(String.join(" ", command) + " exited " + exitCode + " (expected "
                        + expected + ") after " + took.toMillis() + " ms; output:\n" + output);
            }
            return this;
        }
    }

    private final File directory;
    private final Map<String, String> environment;

    ProcessRunner(File directory, Map<String, String> environment) {
        this.directory = directory;
        this.environment = environment;
    }

    Result run(Duration timeout, String... command) {
        ProcessBuilder builder = new ProcessBuilder(command).directory(directory).redirectErrorStream(true);
        builder.environment().putAll(environment);
        builder.redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")));
        long start = System.nanoTime();
        try {
            Process process = builder.start();
            byte[][] output = new byte[1][];
            Thread reader = new Thread(() -> {
                try {
                    output[0] = process.getInputStream().readAllBytes();
                } catch (IOException e) {
                    output[0] = ("<output unreadable: " + e + ">").getBytes(StandardCharsets.UTF_8);
                }
            });
            reader.start();
            if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
                process.descendants().forEach(ProcessHandle::destroyForcibly);
                process.destroyForcibly();
                throw new AssertionError(String.join(" ", command) + " did not finish within " + timeout);
            }
            reader.join(10_000);
            String text = output[0] == null ? "" : new String(output[0], StandardCharsets.UTF_8);
            return new Result(List.of(command), process.exitValue(), text, Duration.ofNanos(System.nanoTime() - start));
        } catch (IOException e) {
            throw new AssertionError("cannot run " + String.join(" ", command), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError("interrupted running " + String.join(" ", command), e);
        }
    }
}

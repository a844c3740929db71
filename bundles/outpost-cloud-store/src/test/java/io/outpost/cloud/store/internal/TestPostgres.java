package io.outpost.cloud.store.internal;

import static org.assertj.core.api.Assertions.fail;

import io.outpost.cloud.TelemetryRetention;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A real PostgreSQL server for the storage suite, started with {@code scripts/test-postgres.sh} and stopped with
 * it at the end; each {@link #newDatabase} is a fresh, empty database on it. A server that cannot be started
 * fails the tests, naming the script.
 */
final class TestPostgres implements AutoCloseable {

    private static final String SCRIPT = "scripts/test-postgres.sh";
    private static final AtomicInteger DATABASES = new AtomicInteger();

    private final Path script;
    private final Map<String, String> info;

    private TestPostgres(Path script, Map<String, String> info) {
        this.script = script;
        this.info = info;
    }

    static TestPostgres start() {
        Path script = findScript();
        Map<String, String> info = new HashMap<>();
        String output = run(script, "start");
        output.lines().filter(l -> l.contains("=")).forEach(l -> info.put(l.substring(0, l.indexOf('=')),
                l.substring(l.indexOf('=') + 1)));
        if (!info.containsKey("url") || !info.containsKey("dir")) {
            fail(SCRIPT + " start printed no url= and dir=: " + output);
        }
        return new TestPostgres(script, info);
    }

    /** A new empty database, as settings for the store. */
    StoreSettings newDatabase(Duration history, TelemetryRetention telemetry) {
        String name = "outpost_test_" + DATABASES.incrementAndGet();
        try (Connection c = DriverManager.getConnection(info.get("url"), info.get("user"), password());
                Statement s = c.createStatement()) {
            s.execute("CREATE DATABASE " + name);
        } catch (SQLException e) {
            fail("cannot create database " + name + " on the server of " + SCRIPT + ": " + e.getMessage(), e);
        }
        String url = info.get("url").replaceFirst("/postgres$", "/" + name);
        return new StoreSettings(url, info.get("user"), password(), 4, history, telemetry);
    }

    private String password() {
        try {
            return Files.readString(Path.of(info.get("passwordFile")), StandardCharsets.UTF_8).strip();
        } catch (IOException e) {
            return fail("cannot read the password written by " + SCRIPT, e);
        }
    }

    @Override
    public void close() {
        run(script, "stop", info.get("dir"));
    }

    private static Path findScript() {
        for (Path dir = Path.of("").toAbsolutePath(); dir != null; dir = dir.getParent()) {
            if (Files.isRegularFile(dir.resolve(SCRIPT))) {
                return dir.resolve(SCRIPT);
            }
        }
        return fail("cannot find " + SCRIPT + " above " + Path.of("").toAbsolutePath());
    }

    private static String run(Path script, String... args) {
        String[] command = new String[args.length + 2];
        command[0] = "bash";
        command[1] = script.toString();
        System.arraycopy(args, 0, command, 2, args.length);
        try {
            Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
            String output = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            if (!p.waitFor(120, TimeUnit.SECONDS) || p.exitValue() != 0) {
                fail("PostgreSQL could not be started or stopped by " + SCRIPT + " " + String.join(" ", args)
                        + " (install it with: apt-get install postgresql; .ci/run does):\n" + output);
            }
            return output;
        } catch (IOException e) {
            return fail("cannot run " + SCRIPT + ": " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return fail("interrupted while running " + SCRIPT, e);
        }
    }
}

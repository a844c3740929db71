package io.outpost.agent.internal;

import java.io.IOException;
import java.io.Reader;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Restart statistics per module, kept on disk ({@code restarts.properties}) so that a restart of the runtime
 * neither forgets a module's back-off nor resets its restart budget. The only state the agent persists
 * besides the desired manifest: everything else is read from the engine on every pass.
 */
final class RestartBook {

    private static final Logger LOG = LoggerFactory.getLogger(RestartBook.class);

    private final Path file;
    private final Map<String, RestartStats> stats = new HashMap<>();

    RestartBook(Path dataDir) {
        this.file = dataDir.resolve("restarts.properties");
        load();
    }

    Map<String, RestartStats> snapshot() {
        return Map.copyOf(stats);
    }

    void restarted(String module, Instant at) {
        stats.merge(module, RestartStats.NONE.restarted(at), (old, ignored) -> old.restarted(at));
    }

    void cleared(String module) {
        stats.computeIfPresent(module, (m, s) -> s.cleared());
    }

    /** Forgets every module not in {@code keep}, and clears all counts when a new deployment arrives. */
    void retainOnly(java.util.Set<String> keep) {
        stats.keySet().retainAll(keep);
    }

    void clearAll() {
        stats.clear();
    }

    void save() {
        Properties p = new Properties();
        stats.forEach((m, s) -> {
            p.setProperty(m + ".count", Integer.toString(s.restartCount()));
            s.lastRestart().ifPresent(t -> p.setProperty(m + ".last", t.toString()));
        });
        try {
            Files.createDirectories(file.getParent());
            Path tmp = file.resolveSibling(file.getFileName() + ".tmp");
            try (Writer w = Files.newBufferedWriter(tmp, StandardCharsets.UTF_8)) {
                p.store(w, "Outpost agent: module restart statistics");
            }
            Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException e) {
            LOG.warn("restart-stats-not-saved file={} error={}", file, e.toString());
        }
    }

    private void load() {
        if (!Files.isRegularFile(file)) {
            return;
        }
        Properties p = new Properties();
        try (Reader r = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
            p.load(r);
        } catch (IOException e) {
            LOG.warn("restart-stats-unreadable file={} error={}", file, e.toString());
            return;
        }
        for (String key : p.stringPropertyNames()) {
            if (key.endsWith(".count")) {
                String module = key.substring(0, key.length() - ".count".length());
                try {
                    int count = Integer.parseInt(p.getProperty(key));
                    Optional<Instant> last = Optional.ofNullable(p.getProperty(module + ".last")).map(Instant::parse);
                    stats.put(module, new RestartStats(count, last));
                } catch (RuntimeException e) {
                    LOG.warn("restart-stats-entry-ignored module={} error={}", module, e.toString());
                }
            }
        }
    }
}

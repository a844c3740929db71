package io.outpost.cloud.link.internal;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.outpost.deployment.DeploymentStatus;
import io.outpost.deployment.ModuleStatus;
import java.time.Instant;
import java.util.Collection;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The {@code $edgeAgent} reported properties (compatibility reference, section 5) of a deployment status: runtime,
 * system modules, every module's runtime status, exit code, restart count and times, and {@code lastDesiredVersion}
 * with {@code lastDesiredStatus}.
 */
final class ReportedState {

    static final ObjectMapper MAPPER = new ObjectMapper();
    /**
     * Cloud deployments are versioned {@code <$edgeAgent desired $version>.<$edgeHub desired $version>}, followed by
     * {@code .<sum of the module twins' desired $version>} when module twins are part of it.
     */
    private static final Pattern CLOUD_VERSION = Pattern.compile("(\\d+)\\.(\\d+)(\\.\\d+)?");

    private ReportedState() {
    }

    /**
     * The reported properties; modules in {@code previouslyReported} that are gone are set to {@code null}, which
     * removes them from the twin (reported patches merge).
     */
    static ObjectNode of(DeploymentStatus status, Collection<String> previouslyReported, String runtimeVersion) {
        ObjectNode r = MAPPER.createObjectNode();
        r.put("schemaVersion", "1.0");
        ObjectNode version = r.putObject("version");
        version.put("version", runtimeVersion).put("build", "").put("commit", "");
        Matcher m = CLOUD_VERSION.matcher(status.lastDesiredVersion());
        if (m.matches()) {
            r.put("lastDesiredVersion", Long.parseLong(m.group(1)));
        } else {
            r.put("lastDesiredVersion", status.lastDesiredVersion());
        }
        r.putObject("lastDesiredStatus").put("code", status.code()).put("description", status.description());
        ObjectNode platform = r.putObject("runtime").putObject("platform");
        platform.put("os", System.getProperty("os.name", "").toLowerCase(java.util.Locale.ROOT))
                .put("architecture", System.getProperty("os.arch", "")).put("version", System.getProperty("os.version", ""));
        ObjectNode system = r.putObject("systemModules");
        system.putObject("edgeAgent").put("runtimeStatus", "running").put("status", "running");
        system.putObject("edgeHub").put("runtimeStatus", "running").put("status", "running");
        ObjectNode modules = r.putObject("modules");
        for (String gone : previouslyReported) {
            modules.putNull(gone);
        }
        for (ModuleStatus module : status.modules()) {
            modules.set(module.name(), module(module));
        }
        return r;
    }

    private static ObjectNode module(ModuleStatus s) {
        ObjectNode m = MAPPER.createObjectNode();
        m.put("runtimeStatus", s.runtimeStatus().wireName());
        m.put("status", s.desiredStatus());
        m.put("exitCode", s.exitCode());
        m.put("statusDescription", s.statusDescription());
        time(m, "lastStartTimeUtc", s.lastStartTime());
        time(m, "lastExitTimeUtc", s.lastExitTime());
        m.put("restartCount", s.restartCount());
        time(m, "lastRestartTimeUtc", s.lastRestartTime());
        m.put("restartPolicy", s.restartPolicy());
        m.put("startupOrder", s.startupOrder());
        m.putObject("settings").put("image", s.image());
        s.healthy().ifPresent(h -> m.put("healthy", h));
        return m;
    }

    private static void time(ObjectNode node, String name, Optional<Instant> time) {
        node.put(name, time.map(Instant::toString).orElse("0001-01-01T00:00:00Z"));
    }
}

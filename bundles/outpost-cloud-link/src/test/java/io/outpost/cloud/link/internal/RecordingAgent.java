package io.outpost.cloud.link.internal;

import com.fasterxml.jackson.databind.JsonNode;
import io.outpost.deployment.DeploymentService;
import io.outpost.deployment.DeploymentStatus;
import io.outpost.deployment.DesiredState;
import io.outpost.deployment.ModuleStatus;
import io.outpost.deployment.RuntimeStatus;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * An in-process agent for the link's tests: it records each desired state and reports every module of the
 * manifest running, as a converged agent does (the agent's own behaviour is tested with a real engine in
 * outpost-agent).
 */
final class RecordingAgent implements DeploymentService {

    final List<DesiredState> applied = new CopyOnWriteArrayList<>();
    private volatile DeploymentStatus status = DeploymentStatus.none();

    @Override
    public DeploymentStatus apply(DesiredState desired) {
        applied.add(desired);
        List<ModuleStatus> modules = new ArrayList<>();
        try {
            JsonNode agent = ReportedState.MAPPER.readTree(desired.manifest()).path("modulesContent")
                    .path("$edgeAgent").path("properties.desired").path("modules");
            for (Iterator<Map.Entry<String, JsonNode>> it = agent.fields(); it.hasNext(); ) {
                Map.Entry<String, JsonNode> m = it.next();
                modules.add(new ModuleStatus(m.getKey(), m.getValue().path("status").asText("running"),
                        RuntimeStatus.RUNNING, "running", 0, 0, Optional.of(Instant.parse("2026-01-01T00:00:00Z")),
                        Optional.empty(), Optional.empty(), m.getValue().path("settings").path("image").asText(),
                        m.getValue().path("restartPolicy").asText("always"), 4294967295L, Optional.empty()));
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        status = new DeploymentStatus(desired.version(), DeploymentStatus.OK, "", Optional.of(desired.version()),
                Optional.of(Instant.now()), modules);
        return status;
    }

    @Override
    public DeploymentStatus status() {
        return status;
    }

    @Override
    public void restartModule(String name) {
    }

    String lastManifest() {
        return new String(applied.get(applied.size() - 1).manifest(), java.nio.charset.StandardCharsets.UTF_8);
    }
}

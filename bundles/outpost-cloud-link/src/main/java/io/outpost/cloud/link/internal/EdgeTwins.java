package io.outpost.cloud.link.internal;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.outpost.deployment.DeploymentService;
import io.outpost.deployment.DeploymentStatus;
import io.outpost.deployment.DesiredState;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Set;
import java.util.SortedMap;
import java.util.TreeSet;
import java.util.concurrent.ExecutorService;
import org.eclipse.paho.client.mqttv3.MqttMessage;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The {@code $edgeAgent} and {@code $edgeHub} twins as the agent's desired-state source, and the agent's status as
 * {@code $edgeAgent} reported properties. When either twin's desired properties change (read whole, on connect and
 * on every push), the two are put together into a deployment manifest versioned {@code <agent $version>.<hub
 * $version>} and handed to the agent, which passes the routes on to the hub as it does for a manifest file. The
 * reported properties are sent whenever they differ from what was last sent (checked every report interval, after
 * every deployment change and after every reconnection). Everything runs on one thread, {@code work}.
 */
final class EdgeTwins implements CloudConnection.Listener {

    private static final Logger LOG = LoggerFactory.getLogger(EdgeTwins.class);
    static final String SOURCE = "cloud";

    private final DeploymentService deployments;
    private final TwinWork tasks;
    private final TwinRequests requests;
    private final String runtimeVersion;
    private final ModuleLinks modules;
    private volatile CloudConnection agent;
    private volatile CloudConnection hub;
    private ObjectNode agentDesired;
    private ObjectNode hubDesired;
    private String lastApplied = "";
    private String lastReported = "";
    private Set<String> reportedModules = new TreeSet<>();

    EdgeTwins(DeploymentService deployments, ExecutorService work, long timeoutMillis, String runtimeVersion,
            ModuleLinks modules) {
        this.deployments = deployments;
        this.tasks = new TwinWork(work, "cloud", LOG);
        this.requests = new TwinRequests(timeoutMillis);
        this.runtimeVersion = runtimeVersion;
        this.modules = modules;
        modules.onDesiredChanged(this::moduleDesiredChanged);
    }

    /** A module twin's desired properties changed (called on {@code work}): apply the new manifest. */
    private void moduleDesiredChanged() {
        apply();
        report();
    }

    void connections(CloudConnection agent, CloudConnection hub) {
        this.agent = agent;
        this.hub = hub;
    }

    @Override
    public void connected(CloudConnection connection) {
        tasks.submit(() -> {
            if (connection == agent) {
                lastReported = "";
            }
            refresh(connection);
        });
    }

    @Override
    public void disconnected(CloudConnection connection, String reason) {
    }

    @Override
    public void message(CloudConnection connection, String topic, MqttMessage message) {
        if (requests.answer(topic, message)) {
            return;
        }
        if (topic.startsWith(TwinRequests.DESIRED_PREFIX)) {
            tasks.submit(() -> refresh(connection));
        }
    }

    /** The deployment changed or the report interval passed: report if the state moved. */
    void reportSoon() {
        tasks.submit(this::report);
    }

    /** Reads the connection's twin again, applies the deployment if it changed, then reports. */
    private void refresh(CloudConnection connection) {
        if (!connection.isConnected()) {
            return;
        }
        ObjectNode desired = desired(requests.get(connection));
        if (connection == agent) {
            agentDesired = desired;
        } else if (connection == hub) {
            hubDesired = desired;
        }
        apply();
        report();
    }

    private static ObjectNode desired(String twinJson) {
        try {
            JsonNode d = ReportedState.MAPPER.readTree(twinJson).path("desired");
            return d instanceof ObjectNode o ? o : ReportedState.MAPPER.createObjectNode();
        } catch (JsonProcessingException e) {
            throw TwinRequests.unavailable("the cloud's twin is not JSON: " + e.getOriginalMessage(), e);
        }
    }

    private void apply() {
        if (agentDesired == null || hubDesired == null) {
            return;
        }
        ObjectNode agentProps = withoutMetadata(agentDesired);
        Set<String> names = new TreeSet<>();
        agentProps.path("modules").fieldNames().forEachRemaining(names::add);
        modules.retain(names);
        if (agentProps.isEmpty()) {
            return;
        }
        SortedMap<String, ModuleLinks.Desired> moduleDesired = modules.desired(names);
        String version = agentDesired.path("$version").asLong() + "." + hubDesired.path("$version").asLong();
        if (!moduleDesired.isEmpty()) {
            version += "." + moduleDesired.values().stream().mapToLong(ModuleLinks.Desired::version).sum();
        }
        if (version.equals(lastApplied)) {
            return;
        }
        ObjectNode manifest = ReportedState.MAPPER.createObjectNode();
        ObjectNode content = manifest.putObject("modulesContent");
        content.putObject("$edgeAgent").set("properties.desired", agentProps);
        content.putObject("$edgeHub").set("properties.desired", withoutMetadata(hubDesired));
        moduleDesired.forEach((name, d) -> content.putObject(name).set("properties.desired", d.properties()));
        DeploymentStatus status = deployments.apply(new DesiredState(version,
                manifest.toString().getBytes(StandardCharsets.UTF_8), SOURCE));
        lastApplied = version;
        LOG.info("cloud-deployment-applied version={} code={}", version, status.code());
    }

    static ObjectNode withoutMetadata(ObjectNode desired) {
        ObjectNode copy = desired.deepCopy();
        List<String> meta = new ArrayList<>();
        for (Iterator<String> names = copy.fieldNames(); names.hasNext(); ) {
            String name = names.next();
            if (name.startsWith("$")) {
                meta.add(name);
            }
        }
        copy.remove(meta);
        return copy;
    }

    private void report() {
        CloudConnection a = agent;
        if (a == null || !a.isConnected()) {
            return;
        }
        DeploymentStatus status = deployments.status();
        ObjectNode reported = ReportedState.of(status, gone(status), runtimeVersion);
        String json = reported.toString();
        if (json.equals(lastReported)) {
            return;
        }
        requests.patchReported(a, json);
        lastReported = json;
        reportedModules = new TreeSet<>();
        status.modules().forEach(m -> reportedModules.add(m.name()));
        LOG.debug("cloud-reported version={} code={} modules={}", status.lastDesiredVersion(), status.code(),
                reportedModules.size());
    }

    private Set<String> gone(DeploymentStatus status) {
        Set<String> gone = new TreeSet<>(reportedModules);
        status.modules().forEach(m -> gone.remove(m.name()));
        return gone;
    }
}

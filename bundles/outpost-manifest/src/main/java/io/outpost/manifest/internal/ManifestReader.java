package io.outpost.manifest.internal;

import com.fasterxml.jackson.databind.JsonNode;
import io.outpost.manifest.DeploymentManifest;
import io.outpost.manifest.HubSettings;
import io.outpost.manifest.ManifestErrorCode;
import io.outpost.manifest.ManifestLimits;
import io.outpost.manifest.ValidationResult;
import java.util.HashSet;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;

/**
 * Validates one manifest document: the size limit first, then parsing with the depth limit, then the
 * optional {@code content} wrapper, {@code modulesContent} with {@code $edgeAgent}, {@code $edgeHub} and the
 * module twin sections, and the checks across them.
 */
public final class ManifestReader {

    /** Properties of a fleet deployment around {@code content}; they concern targeting, not the device. */
    private static final Set<String> FLEET_KEYS = Set.of("id", "schemaVersion", "labels", "targetCondition",
            "priority", "metrics", "systemMetrics", "etag", "createdTimeUtc", "lastUpdatedTimeUtc", "contentType");
    private static final String AGENT = "$edgeAgent";
    private static final String HUB = "$edgeHub";

    private final ManifestLimits limits;
    private final JsonText json;
    private final AgentReader agent;

    public ManifestReader(ManifestLimits limits) {
        this.limits = limits;
        this.json = new JsonText(limits.maxBytes(), limits.maxDepth());
        this.agent = new AgentReader(json);
    }

    public ValidationResult read(byte[] bytes) {
        Problems problems = new Problems(limits.maxProblems());
        if (bytes.length > limits.maxBytes()) {
            return tooLarge();
        }
        if (blank(bytes)) {
            problems.error(ManifestErrorCode.EMPTY, "", "the manifest is empty; expected a JSON object with "
                    + "modulesContent");
            return problems.result(null);
        }
        try {
            JsonNode root = json.parse(bytes);
            return problems.result(document(root, problems));
        } catch (JsonText.Failure e) {
            problems.error(e.pointer(), e.getMessage());
            return problems.result(null);
        }
    }

    /** The result for a document known to be larger than the limit, without looking at it. */
    public ValidationResult tooLarge() {
        Problems problems = new Problems(limits.maxProblems());
        problems.error(ManifestErrorCode.TOO_LARGE, "", "the manifest is larger than the limit of " + limits.maxBytes()
                + " bytes");
        return problems.result(null);
    }

    private DeploymentManifest document(JsonNode root, Problems problems) {
        Optional<Section> top = Section.of(root, "", problems);
        if (top.isEmpty()) {
            return null;
        }
        if (top.get().isEmpty()) {
            problems.error(ManifestErrorCode.EMPTY, "", "the manifest is an empty object; expected modulesContent");
            return null;
        }
        Section holder = top.get();
        if (holder.has("content")) {
            FLEET_KEYS.forEach(holder::markRead);
            Optional<Section> content = holder.object("content", true);
            holder.warnUnknown();
            if (content.isEmpty()) {
                return null;
            }
            holder = content.get();
        }
        Optional<Section> modulesContent = holder.object("modulesContent", true);
        holder.warnUnknown();
        return modulesContent.map(mc -> modulesContent(mc, problems)).orElse(null);
    }

    private DeploymentManifest modulesContent(Section mc, Problems problems) {
        if (mc.isEmpty()) {
            problems.error(ManifestErrorCode.EMPTY, mc.pointer(), "modulesContent is empty; expected $edgeAgent and "
                    + "$edgeHub");
            return null;
        }
        Map<String, String> twins = twins(mc);
        Set<String> declared = declaredModules(mc);
        Optional<AgentReader.Part> agentPart = mc.object(AGENT, true).flatMap(a -> agent.read(a, twins));
        Optional<HubSettings> hub = mc.object(HUB, true).flatMap(h -> HubReader.read(h, declared));
        for (String twin : twins.keySet()) {
            if (!declared.contains(twin)) {
                problems.warning(mc.pointer(twin), "twin section of module " + Json.quote(twin) + ", which the "
                        + "manifest does not declare under modules; no module receives it");
            }
        }
        mc.warnUnknown();
        if (agentPart.isEmpty() || hub.isEmpty() || problems.hasErrors()) {
            return null;
        }
        AgentReader.Part a = agentPart.get();
        return new DeploymentManifest(a.schemaVersion(), a.runtime(), a.systemModules(), a.modules(), hub.get(),
                new TreeMap<>(twins), a.integrity());
    }

    /** Every {@code <module>.properties.desired}, as compact JSON text, by module name. */
    private Map<String, String> twins(Section mc) {
        Map<String, String> twins = new TreeMap<>();
        for (String key : mc.keys()) {
            if (key.startsWith("$")) {
                continue;
            }
            Optional<Section> section = mc.object(key, true);
            Optional<Section> desired = section.flatMap(s -> s.object(AgentReader.DESIRED, true));
            section.ifPresent(Section::warnUnknown);
            desired.ifPresent(d -> twins.put(key, json.write(mc.peek(key).path(AgentReader.DESIRED))));
        }
        return twins;
    }

    private static Set<String> declaredModules(Section mc) {
        Set<String> names = new HashSet<>();
        JsonNode modules = mc.peek(AGENT).path(AgentReader.DESIRED).path("modules");
        if (modules.isObject()) {
            modules.fieldNames().forEachRemaining(names::add);
        }
        return names;
    }

    private static boolean blank(byte[] bytes) {
        for (byte b : bytes) {
            if (b != ' ' && b != '\t' && b != '\r' && b != '\n') {
                return false;
            }
        }
        return true;
    }
}

package io.outpost.manifest.internal;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import io.outpost.manifest.HostAccess;
import io.outpost.manifest.HostAccess.Kind;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Finds the {@link HostAccess} settings of one createOptions object. The engine matches field names without
 * regard to case, so every spelling of a field is looked at; where a field is spelt several ways, each is
 * reported (whichever the engine keeps, the finding is there).
 */
public final class HostAccessScanner {

    private static final ObjectMapper MAPPER = JsonMapper.builder(JsonFactory.builder()
            .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION).build()).build();

    /** A Docker volume name; a bind source that is not one is a host path (the engine's own rule, widened). */
    private static final Pattern VOLUME_NAME = Pattern.compile("[a-zA-Z0-9][a-zA-Z0-9_.-]*");

    private static final List<String> NAMESPACES = List.of("NetworkMode", "PidMode", "IpcMode", "UTSMode",
            "UsernsMode", "CgroupnsMode");

    /** {@code SecurityOpt} entries that only harden the container. */
    private static final Set<String> HARDENING = Set.of("no-new-privileges", "no-new-privileges:true",
            "no-new-privileges=true");

    private HostAccessScanner() {
    }

    public static List<HostAccess> scan(String createOptions) {
        if (createOptions.isBlank()) {
            return List.of();
        }
        JsonNode root;
        try {
            root = MAPPER.readTree(createOptions);
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException("createOptions is not valid JSON: " + e.getOriginalMessage(), e);
        }
        if (root == null || !root.isObject()) {
            throw new IllegalArgumentException("createOptions must be a JSON object");
        }
        List<HostAccess> found = new ArrayList<>();
        for (Map.Entry<String, JsonNode> hostConfig : fields(root, "HostConfig")) {
            if (hostConfig.getValue().isObject()) {
                scanHostConfig(hostConfig.getKey() + ".", hostConfig.getValue(), found);
            }
        }
        // Without a HostConfig object the engine takes the host-config fields from the top level.
        scanHostConfig("", root, found);
        return List.copyOf(found);
    }

    private static void scanHostConfig(String prefix, JsonNode hostConfig, List<HostAccess> found) {
        for (Map.Entry<String, JsonNode> f : fields(hostConfig, "Privileged")) {
            if (!f.getValue().isNull() && !(f.getValue().isBoolean() && !f.getValue().booleanValue())) {
                found.add(new HostAccess(Kind.PRIVILEGED, prefix + f.getKey(), f.getValue().asText()));
            }
        }
        for (Map.Entry<String, JsonNode> f : fields(hostConfig, "Binds")) {
            eachText(prefix + f.getKey(), f.getValue(), (field, bind) -> bindSource(bind)
                    .ifPresent(source -> found.add(new HostAccess(Kind.BIND, field, source))));
        }
        for (Map.Entry<String, JsonNode> f : fields(hostConfig, "Mounts")) {
            scanMounts(prefix + f.getKey(), f.getValue(), found);
        }
        for (Map.Entry<String, JsonNode> f : fields(hostConfig, "Devices")) {
            eachObject(prefix + f.getKey(), f.getValue(), (field, device) -> {
                for (Map.Entry<String, JsonNode> path : fields(device, "PathOnHost")) {
                    found.add(new HostAccess(Kind.DEVICE, field + "." + path.getKey(), path.getValue().asText()));
                }
            });
        }
        for (Map.Entry<String, JsonNode> f : fields(hostConfig, "DeviceCgroupRules")) {
            eachText(prefix + f.getKey(), f.getValue(),
                    (field, rule) -> found.add(new HostAccess(Kind.DEVICE, field, rule.trim())));
        }
        for (Map.Entry<String, JsonNode> f : fields(hostConfig, "CapAdd")) {
            eachText(prefix + f.getKey(), f.getValue(),
                    (field, cap) -> found.add(new HostAccess(Kind.CAPABILITY, field, capability(cap))));
        }
        for (String namespace : NAMESPACES) {
            for (Map.Entry<String, JsonNode> f : fields(hostConfig, namespace)) {
                if (f.getValue().isTextual() && f.getValue().textValue().trim().equalsIgnoreCase("host")) {
                    found.add(new HostAccess(Kind.HOST_NAMESPACE, prefix + f.getKey(), "host"));
                }
            }
        }
        scanSecurity(prefix, hostConfig, found);
    }

    private static void scanMounts(String field, JsonNode mounts, List<HostAccess> found) {
        eachObject(field, mounts, (at, mount) -> {
            String type = fields(mount, "Type").stream().map(e -> e.getValue().asText()).findFirst().orElse("");
            if (type.equalsIgnoreCase("bind")) {
                for (Map.Entry<String, JsonNode> source : fields(mount, "Source")) {
                    found.add(new HostAccess(Kind.BIND, at + "." + source.getKey(), source.getValue().asText()));
                }
            }
            // A volume of the local driver with a "device" option is a bind of that host path in disguise.
            for (Map.Entry<String, JsonNode> options : fields(mount, "VolumeOptions")) {
                for (Map.Entry<String, JsonNode> driver : fields(options.getValue(), "DriverConfig")) {
                    for (Map.Entry<String, JsonNode> opts : fields(driver.getValue(), "Options")) {
                        for (Map.Entry<String, JsonNode> device : fields(opts.getValue(), "device")) {
                            found.add(new HostAccess(Kind.BIND, at + "." + options.getKey() + "." + driver.getKey()
                                    + "." + opts.getKey() + "." + device.getKey(), device.getValue().asText()));
                        }
                    }
                }
            }
        });
    }

    private static void scanSecurity(String prefix, JsonNode hostConfig, List<HostAccess> found) {
        for (Map.Entry<String, JsonNode> f : fields(hostConfig, "SecurityOpt")) {
            eachText(prefix + f.getKey(), f.getValue(), (field, opt) -> {
                if (!HARDENING.contains(opt.trim().toLowerCase(Locale.ROOT))) {
                    found.add(new HostAccess(Kind.SECURITY_OPTION, field, opt.trim()));
                }
            });
        }
        for (String paths : List.of("MaskedPaths", "ReadonlyPaths")) {
            for (Map.Entry<String, JsonNode> f : fields(hostConfig, paths)) {
                if (!f.getValue().isNull()) {
                    found.add(new HostAccess(Kind.SECURITY_OPTION, prefix + f.getKey(), f.getValue().toString()));
                }
            }
        }
    }

    /**
     * The host part of a {@code source:target[:options]} bind; empty for a named volume ({@code data:/data})
     * and an anonymous one ({@code /data}, a target only).
     */
    private static Optional<String> bindSource(String bind) {
        int colon = bind.indexOf(':');
        if (colon < 0) {
            return Optional.empty();
        }
        String source = bind.substring(0, colon);
        return VOLUME_NAME.matcher(source).matches() ? Optional.empty() : Optional.of(source);
    }

    /** {@code cap_sys_admin}, {@code CAP_SYS_ADMIN} and {@code sys_admin} are one capability to the engine. */
    public static String capability(String name) {
        String upper = name.trim().toUpperCase(Locale.ROOT);
        return upper.startsWith("CAP_") ? upper.substring(4) : upper;
    }

    /** Every field of the object whose name is {@code canonical} in any case, in document order. */
    private static List<Map.Entry<String, JsonNode>> fields(JsonNode object, String canonical) {
        List<Map.Entry<String, JsonNode>> matches = new ArrayList<>();
        if (object != null && object.isObject()) {
            for (Iterator<Map.Entry<String, JsonNode>> it = object.fields(); it.hasNext();) {
                Map.Entry<String, JsonNode> e = it.next();
                if (e.getKey().equalsIgnoreCase(canonical)) {
                    matches.add(e);
                }
            }
        }
        return matches;
    }

    private interface Visitor {
        void visit(String field, String text);
    }

    private interface ObjectVisitor {
        void visit(String field, JsonNode object);
    }

    private static void eachText(String field, JsonNode array, Visitor visitor) {
        if (array.isArray()) {
            for (int i = 0; i < array.size(); i++) {
                if (array.get(i).isTextual()) {
                    visitor.visit(field + "[" + i + "]", array.get(i).textValue());
                }
            }
        }
    }

    private static void eachObject(String field, JsonNode array, ObjectVisitor visitor) {
        if (array.isArray()) {
            for (int i = 0; i < array.size(); i++) {
                if (array.get(i).isObject()) {
                    visitor.visit(field + "[" + i + "]", array.get(i));
                }
            }
        }
    }
}

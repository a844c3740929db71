package io.outpost.agent.internal;

import io.outpost.manifest.DeploymentManifest;
import io.outpost.manifest.HostAccess;
import io.outpost.manifest.ModuleSpec;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * The operator's policy on createOptions that reach into the host ({@link HostAccess}), from
 * {@code etc/io.outpost.agent.policy.cfg}. A setting on an allow-list passes quietly in every mode: a bind whose
 * host path lies in {@code allowedBindPaths}, a device in {@code allowedDevices}, a capability in
 * {@code allowedCapabilities}. Any other setting: {@code allow} accepts it (logged), {@code warn} accepts it
 * with a warning in the log and in the module's status, {@code deny} refuses the whole deployment.
 * {@code Privileged}, host namespaces and security options have no allow-list.
 *
 * @param mode what to do with a setting that no allow-list covers
 * @param allowedBindPaths host folders (or files) whose insides may be bound, normalized absolute paths
 * @param allowedDevices host device paths (or folders of them), and exact device cgroup rules
 * @param allowedCapabilities capability names in upper case without {@code CAP_}
 */
record HostAccessPolicy(Mode mode, List<Path> allowedBindPaths, List<String> allowedDevices,
        Set<String> allowedCapabilities) {

    static final String PID = "io.outpost.agent.policy";

    enum Mode { ALLOW, WARN, DENY }

    /** A device cgroup rule: type, major:minor, access, as {@code DeviceCgroupRules} holds them. */
    private static final Pattern CGROUP_RULE = Pattern.compile("[abc] (\\d+|\\*):(\\d+|\\*) [rwm]{1,3}");

    HostAccessPolicy {
        Objects.requireNonNull(mode, "mode");
        allowedBindPaths = List.copyOf(allowedBindPaths);
        allowedDevices = List.copyOf(allowedDevices);
        allowedCapabilities = Set.copyOf(allowedCapabilities);
    }

    /** The shipped policy: warn about every setting, no allow-list. */
    static HostAccessPolicy defaults() {
        return new HostAccessPolicy(Mode.WARN, List.of(), List.of(), Set.of());
    }

    /**
     * The policy from its configuration values; each bad value is refused naming its property.
     *
     * @throws IllegalArgumentException naming the property and the value
     */
    static HostAccessPolicy of(String hostAccess, String[] bindPaths, String[] devices, String[] capabilities) {
        Mode mode;
        try {
            mode = Mode.valueOf(hostAccess.trim().toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("hostAccess must be allow, warn or deny, was '" + hostAccess + "'", e);
        }
        List<Path> binds = new ArrayList<>();
        for (String p : entries(bindPaths)) {
            binds.add(absolute(p, "allowedBindPaths"));
        }
        List<String> devs = new ArrayList<>();
        for (String d : entries(devices)) {
            String rule = d.replaceAll("\\s+", " ");
            if (!d.startsWith("/") && !CGROUP_RULE.matcher(rule).matches()) {
                throw new IllegalArgumentException("allowedDevices entry '" + d + "' must be an absolute device path "
                        + "or a device cgroup rule such as 'c 188:* rwm'");
            }
            devs.add(d.startsWith("/") ? absolute(d, "allowedDevices").toString() : rule);
        }
        Set<String> caps = entries(capabilities).stream().map(c -> {
            String name = capability(c);
            if (!name.matches("[A-Z][A-Z0-9_]*")) {
                throw new IllegalArgumentException("allowedCapabilities entry '" + c + "' is not a capability name");
            }
            return name;
        }).collect(Collectors.toSet());
        return new HostAccessPolicy(mode, binds, devs, caps);
    }

    /** Reviews every user module's createOptions against this policy. */
    HostAccessReview review(DeploymentManifest manifest) {
        List<HostAccessReview.Finding> findings = new ArrayList<>();
        for (ModuleSpec module : manifest.modules().values()) {
            for (HostAccess access : HostAccess.of(module.createOptions())) {
                findings.add(new HostAccessReview.Finding(module.name(), access, allowList(access)));
            }
        }
        return new HostAccessReview(mode, findings);
    }

    /** The allow-list that covers the setting, if one does. */
    Optional<String> allowList(HostAccess access) {
        return switch (access.kind()) {
            case BIND -> within(access.value(), allowedBindPaths) ? Optional.of("allowedBindPaths") : Optional.empty();
            case DEVICE -> allowedDevices.contains(access.value().replaceAll("\\s+", " "))
                    || within(access.value(), allowedDevices.stream().filter(d -> d.startsWith("/")).map(Path::of)
                            .toList()) ? Optional.of("allowedDevices") : Optional.empty();
            case CAPABILITY -> allowedCapabilities.contains(capability(access.value()))
                    ? Optional.of("allowedCapabilities") : Optional.empty();
            case PRIVILEGED, HOST_NAMESPACE, SECURITY_OPTION -> Optional.empty();
        };
    }

    /**
     * Whether the host path lies in one of the allowed paths, both as written (after {@code .} and {@code ..} are
     * resolved) and, where it exists here, after its symbolic links are resolved: a link under an allowed folder
     * that points elsewhere does not pass.
     */
    private static boolean within(String hostPath, List<Path> allowed) {
        if (!hostPath.startsWith("/") || allowed.isEmpty()) {
            return false;
        }
        Path path;
        try {
            path = Path.of(hostPath).normalize();
        } catch (InvalidPathException e) {
            return false;
        }
        if (allowed.stream().noneMatch(path::startsWith)) {
            return false;
        }
        if (!Files.exists(path)) {
            return true;
        }
        try {
            Path real = path.toRealPath();
            return allowed.stream().map(HostAccessPolicy::real).anyMatch(real::startsWith);
        } catch (IOException e) {
            return false;
        }
    }

    private static Path real(Path allowed) {
        try {
            return Files.exists(allowed) ? allowed.toRealPath() : allowed;
        } catch (IOException e) {
            return allowed;
        }
    }

    private static Path absolute(String value, String property) {
        try {
            Path p = Path.of(value);
            if (p.isAbsolute()) {
                return p.normalize();
            }
        } catch (InvalidPathException e) {
            throw new IllegalArgumentException(property + " entry '" + value + "' is not a path", e);
        }
        throw new IllegalArgumentException(property + " entry '" + value + "' must be an absolute path");
    }

    /** Entries of a list property; a single value may also hold several, separated by commas. */
    private static List<String> entries(String[] values) {
        return values == null ? List.of() : Arrays.stream(values).flatMap(v -> Arrays.stream(v.split(",")))
                .map(String::trim).filter(v -> !v.isEmpty()).toList();
    }

    private static String capability(String name) {
        String upper = name.trim().toUpperCase(Locale.ROOT);
        return upper.startsWith("CAP_") ? upper.substring(4) : upper;
    }
}

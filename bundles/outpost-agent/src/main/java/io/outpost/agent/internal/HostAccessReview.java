package io.outpost.agent.internal;

import io.outpost.agent.internal.HostAccessPolicy.Mode;
import io.outpost.deployment.ModuleStatus;
import io.outpost.manifest.HostAccess;
import java.util.List;
import java.util.Optional;
import java.util.stream.Collectors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What the {@link HostAccessPolicy} found in one deployment: every host access setting of every module, and the
 * allow-list that covers it, if any. Tells whether the deployment is refused, logs each setting once, and adds
 * the settings that no allow-list covers to the module statuses under {@code warn}.
 *
 * @param mode the policy's mode when the review was made
 * @param findings every setting, module by module in name order, each in document order
 */
record HostAccessReview(Mode mode, List<Finding> findings) {

    private static final Logger LOG = LoggerFactory.getLogger(HostAccessReview.class);
    /** Longer values (a seccomp profile) are cut in logs and statuses. */
    private static final int MAX_SHOWN = 120;

    /**
     * One setting of one module.
     *
     * @param allowList the property whose list covers the setting; empty when none does
     */
    record Finding(String module, HostAccess access, Optional<String> allowList) {
        String describe() {
            return "module '" + module + "': createOptions " + access.field() + " = " + shown(access.value())
                    + " (" + grant(access) + allowList.map(l -> ", in " + l).orElse("") + ")";
        }
    }

    HostAccessReview {
        findings = List.copyOf(findings);
    }

    static HostAccessReview none() {
        return new HostAccessReview(Mode.WARN, List.of());
    }

    /** The settings that no allow-list covers. */
    List<Finding> unlisted() {
        return findings.stream().filter(f -> f.allowList().isEmpty()).toList();
    }

    boolean refused() {
        return mode == Mode.DENY && !unlisted().isEmpty();
    }

    /** Why the deployment is refused, naming each module and createOptions field. */
    String refusal() {
        return "deployment refused by the host access policy (hostAccess = deny in etc/" + HostAccessPolicy.PID
                + ".cfg): " + unlisted().stream().map(f -> f.describe() + " is not allowed" + hint(f.access()))
                        .collect(Collectors.joining("; "));
    }

    /** Under {@code warn}: the deployment-level summary of the settings no allow-list covers. */
    Optional<String> summary() {
        if (mode != Mode.WARN || unlisted().isEmpty()) {
            return Optional.empty();
        }
        return Optional.of("host access allowed with warnings (hostAccess = warn): " + unlisted().stream()
                .map(Finding::describe).collect(Collectors.joining("; ")));
    }

    /** The status with the module's unlisted settings added to its description under {@code warn}. */
    ModuleStatus annotate(ModuleStatus status) {
        if (mode != Mode.WARN) {
            return status;
        }
        List<Finding> own = unlisted().stream().filter(f -> f.module().equals(status.name())).toList();
        if (own.isEmpty()) {
            return status;
        }
        String note = "host access: " + own.stream().map(f -> f.access().field() + "=" + shown(f.access().value()))
                .collect(Collectors.joining(", "));
        if (status.statusDescription().contains(note)) {
            return status;
        }
        String description = status.statusDescription().isEmpty() ? note : status.statusDescription() + "; " + note;
        return new ModuleStatus(status.name(), status.desiredStatus(), status.runtimeStatus(), description,
                status.exitCode(), status.restartCount(), status.lastStartTime(), status.lastExitTime(),
                status.lastRestartTime(), status.image(), status.restartPolicy(), status.startupOrder(),
                status.healthy());
    }

    /** One log line per setting: a warning for each one that no allow-list covers, unless the policy allows all. */
    void log(String version) {
        for (Finding f : findings) {
            String value = shown(f.access().value());
            if (f.allowList().isPresent()) {
                LOG.info("host-access-allow-listed version={} module={} field={} kind={} value=\"{}\" list={}", version,
                        f.module(), f.access().field(), f.access().kind(), value, f.allowList().get());
            } else if (mode == Mode.ALLOW) {
                LOG.info("host-access-allowed version={} module={} field={} kind={} value=\"{}\" policy=allow",
                        version, f.module(), f.access().field(), f.access().kind(), value);
            } else {
                LOG.warn("host-access-{} version={} module={} field={} kind={} value=\"{}\" policy={}",
                        mode == Mode.DENY ? "refused" : "warning", version, f.module(), f.access().field(),
                        f.access().kind(), value, mode.name().toLowerCase(java.util.Locale.ROOT));
            }
        }
    }

    private static String grant(HostAccess access) {
        return switch (access.kind()) {
            case PRIVILEGED -> "privileged container";
            case BIND -> "bind of host path " + shown(access.value());
            case DEVICE -> "host device";
            case CAPABILITY -> "capability " + access.value();
            case HOST_NAMESPACE -> "the host's namespace";
            case SECURITY_OPTION -> "confinement changed";
        };
    }

    private static String hint(HostAccess access) {
        return switch (access.kind()) {
            case BIND -> ", not under allowedBindPaths";
            case DEVICE -> ", not in allowedDevices";
            case CAPABILITY -> ", not in allowedCapabilities";
            case PRIVILEGED, HOST_NAMESPACE, SECURITY_OPTION -> " under hostAccess = deny";
        };
    }

    /** The value with control characters escaped and quotes doubled-free, cut to a readable length. */
    static String shown(String value) {
        StringBuilder sb = new StringBuilder();
        for (char c : value.toCharArray()) {
            if (sb.length() >= MAX_SHOWN) {
                sb.append("...");
                break;
            }
            if (c < 0x20 || c == 0x7f) {
                sb.append(String.format("\\u%04x", (int) c));
            } else if (c == '"' || c == '\\') {
                sb.append('\\').append(c);
            } else {
                sb.append(c);
            }
        }
        return sb.toString();
    }
}

package io.outpost.container;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;
import java.util.regex.Pattern;

/**
 * What to create: the container name, the image, the Docker Engine container-create JSON
 * ({@code createOptions}, as in a deployment manifest; empty text means {@code {}}), environment variables
 * that are merged over the {@code Env} of createOptions, extra labels, and the owner written to Outpost's
 * labels. {@link #toString()} shows environment names only, since values may be secrets.
 */
public record ContainerSpec(String name, String image, String createOptions, Map<String, String> env,
        Map<String, String> labels, ContainerOwner owner, List<String> binds) {

    /**
     * Environment variables that the runtime gives a module ({@code IOTEDGE_*}: identity, generation, workload
     * API). They change with every identity generation and are not part of {@link #configHash()}.
     */
    public static final String RUNTIME_ENV_PREFIX = "IOTEDGE_";

    private static final Pattern NAME = Pattern.compile("[a-zA-Z0-9][a-zA-Z0-9_.-]{0,254}");
    private static final Pattern ENV_NAME = Pattern.compile("[^=\\x00]+");

    public ContainerSpec {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(image, "image");
        Objects.requireNonNull(createOptions, "createOptions");
        Objects.requireNonNull(owner, "owner");
        if (!NAME.matcher(name).matches()) {
            throw new IllegalArgumentException("container name '" + name
                    + "' is not allowed: use letters, digits, '_', '.', '-', starting with a letter or digit");
        }
        if (image.isBlank()) {
            throw new IllegalArgumentException("image must not be blank");
        }
        env = Map.copyOf(env);
        labels = Map.copyOf(labels);
        binds = List.copyOf(binds);
        binds.stream().filter(b -> b.indexOf(':') <= 0).findFirst().ifPresent(b -> {
            throw new IllegalArgumentException("bind '" + b + "' is not <host path>:<container path>[:options]");
        });
        env.keySet().stream().filter(k -> !ENV_NAME.matcher(k).matches()).findFirst().ifPresent(k -> {
            throw new IllegalArgumentException("environment variable name '" + k + "' is not allowed");
        });
        labels.keySet().stream().filter(k -> k.startsWith(ContainerLabels.PREFIX)).findFirst().ifPresent(k -> {
            throw new IllegalArgumentException("label '" + k + "' is reserved for Outpost (prefix "
                    + ContainerLabels.PREFIX + ")");
        });
    }

    /** A spec without runtime binds. */
    public ContainerSpec(String name, String image, String createOptions, Map<String, String> env,
            Map<String, String> labels, ContainerOwner owner) {
        this(name, image, createOptions, env, labels, owner, List.of());
    }

    /** A spec with no environment and no extra labels. */
    public static ContainerSpec of(String name, String image, String createOptions, ContainerOwner owner) {
        return new ContainerSpec(name, image, createOptions, Map.of(), Map.of(), owner);
    }

    public ContainerSpec withEnv(Map<String, String> newEnv) {
        return new ContainerSpec(name, image, createOptions, newEnv, labels, owner, binds);
    }

    public ContainerSpec withLabels(Map<String, String> newLabels) {
        return new ContainerSpec(name, image, createOptions, env, newLabels, owner, binds);
    }

    /**
     * The spec with binds the runtime adds to {@code HostConfig.Binds} (the workload API socket), which are not
     * part of {@link #configHash()}.
     */
    public ContainerSpec withBinds(List<String> newBinds) {
        return new ContainerSpec(name, image, createOptions, env, labels, owner, newBinds);
    }

    /**
     * A SHA-256 over everything that decides what the container runs (image, createOptions text, env,
     * extra labels and the module), but not the deployment version, the runtime's {@code IOTEDGE_*} variables nor
     * its binds: two deployments that leave a module unchanged give it the same hash, so the module need not be
     * recreated when only its identity generation changed.
     */
    public String configHash() {
        StringBuilder text = new StringBuilder()
                .append("image\0").append(image).append('\0')
                .append("createOptions\0").append(createOptions).append('\0')
                .append("module\0").append(owner.moduleId()).append('\0');
        new TreeMap<>(env).forEach((k, v) -> {
            if (!k.startsWith(RUNTIME_ENV_PREFIX)) {
                text.append("env\0").append(k).append('\0').append(v).append('\0');
            }
        });
        new TreeMap<>(labels).forEach((k, v) -> text.append("label\0").append(k).append('\0').append(v).append('\0'));
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(text.toString().getBytes(StandardCharsets.UTF_8));
            return HexFormat.of().formatHex(digest);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is missing from this Java runtime", e);
        }
    }

    @Override
    public String toString() {
        return "ContainerSpec[name=" + name + ", image=" + image + ", owner=" + owner + ", env="
                + new TreeMap<>(env).keySet() + ", labels=" + labels + "]";
    }
}

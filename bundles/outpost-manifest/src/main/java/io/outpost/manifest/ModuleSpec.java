package io.outpost.manifest;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Map;
import java.util.Objects;
import java.util.SortedMap;

/**
 * The desired state of one module, defaults applied.
 *
 * @param name the module name (the key under {@code modules}, or {@code edgeAgent}/{@code edgeHub})
 * @param version the free-form {@code version} text, {@code ""} when absent
 * @param type the module type; always {@code docker}
 * @param status whether the module should run
 * @param restartPolicy when to restart it
 * @param imagePullPolicy whether to pull its image on create
 * @param startupOrder lower starts first, 0 to {@value #MAX_STARTUP_ORDER}
 * @param image the container image reference
 * @param digest the optional image digest from {@code settings.digest}, {@code ""} when absent
 * @param createOptions the Docker create options as one JSON object text (chunks joined), {@code ""} when absent
 * @param env environment variables, sorted by name
 * @param desiredProperties the module twin's desired properties as JSON object text, {@code "{}"} when absent
 */
public record ModuleSpec(String name, String version, String type, DesiredStatus status, RestartPolicy restartPolicy,
        ImagePullPolicy imagePullPolicy, long startupOrder, String image, String digest, String createOptions,
        SortedMap<String, String> env, String desiredProperties) {

    /** The highest (and default) {@code startupOrder}: 2^32 - 1. */
    public static final long MAX_STARTUP_ORDER = 4_294_967_295L;

    public ModuleSpec {
        requireText(name, "name");
        Objects.requireNonNull(version, "version");
        requireText(type, "type");
        Objects.requireNonNull(status, "status");
        Objects.requireNonNull(restartPolicy, "restartPolicy");
        Objects.requireNonNull(imagePullPolicy, "imagePullPolicy");
        if (startupOrder < 0 || startupOrder > MAX_STARTUP_ORDER) {
            throw new IllegalArgumentException("startupOrder out of range: " + startupOrder);
        }
        requireText(image, "image");
        Objects.requireNonNull(digest, "digest");
        Objects.requireNonNull(createOptions, "createOptions");
        env = Maps.sortedCopy(env, "env");
        requireText(desiredProperties, "desiredProperties");
    }

    /**
     * A stable hash of what requires the container to be recreated when it changes: type, image, digest,
     * createOptions and env. Status, restart policy, pull policy, startup order, version and twin properties
     * are not part of it: they change how the agent treats the container, not the container itself.
     *
     * @return {@code sha256:} followed by 64 lower-case hex digits
     */
    public String configHash() {
        MessageDigest sha = sha256();
        feed(sha, type);
        feed(sha, image);
        feed(sha, digest);
        feed(sha, createOptions);
        feed(sha, Integer.toString(env.size()));
        for (Map.Entry<String, String> e : env.entrySet()) {
            feed(sha, e.getKey());
            feed(sha, e.getValue());
        }
        return "sha256:" + HexFormat.of().formatHex(sha.digest());
    }

    private static void feed(MessageDigest sha, String value) {
        byte[] bytes = value.getBytes(StandardCharsets.UTF_8);
        // Length-prefixed, so that ("ab", "c") and ("a", "bc") hash differently.
        sha.update(Integer.toString(bytes.length).getBytes(StandardCharsets.US_ASCII));
        sha.update((byte) ':');
        sha.update(bytes);
    }

    private static MessageDigest sha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every Java runtime provides SHA-256", e);
        }
    }

    private static void requireText(String value, String what) {
        if (Objects.requireNonNull(value, what).isEmpty()) {
            throw new IllegalArgumentException(what + " must not be empty");
        }
    }
}

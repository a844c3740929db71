package io.outpost.hub.internal;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.outpost.iothub.DialectException;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URLDecoder;
import java.net.URLEncoder;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeSet;
import java.util.function.Consumer;
import java.util.stream.Stream;

/**
 * The twins the hub keeps, one JSON file per identity ({@code <dir>/<url-encoded identity>.json}, written to a
 * temporary file, synced and renamed over the old one), holding {@code {"desired":{...,"$version":n},
 * "reported":{...,"$version":m}}} as IoT Hub's twin GET answers it. Versions start at 1 and grow by one per
 * change. Reported properties change by merge patches ({@code null} removes a property); desired properties are
 * replaced wholesale by the deployment, and the change is returned as the patch a connected client is sent.
 */
final class EdgeTwins implements TwinStore {

    /** Largest desired or reported section, as IoT Hub limits them (JSON bytes). */
    static final int MAX_SECTION_BYTES = 32 * 1024;
    static final int MAX_DEPTH = 10;
    private static final String VERSION = "$version";
    private static final String SUFFIX = ".json";

    private final Path dir;
    private final ObjectMapper json = new ObjectMapper();
    private final Map<String, ObjectNode> cache = new HashMap<>();

    EdgeTwins(Path dir) {
        this.dir = dir;
        try {
            Files.createDirectories(dir);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create the twin directory " + dir, e);
        }
    }

    /** A desired change to push: the new version and the patch (with {@code $version}). */
    record DesiredChange(long version, String patchJson) {
    }

    /** The twin of an identity, an empty one (versions 1) if the hub holds none. */
    @Override
    public synchronized String get(String identity) {
        return load(identity).map(ObjectNode::toString).orElseGet(() -> empty().toString());
    }

    /** The twin of an identity if the hub holds one. */
    synchronized Optional<String> find(String identity) {
        return load(identity).map(ObjectNode::toString);
    }

    /** The identities with a stored twin. */
    synchronized List<String> identities() {
        TreeSet<String> names = new TreeSet<>(cache.keySet());
        try (Stream<Path> files = Files.list(dir)) {
            files.map(p -> p.getFileName().toString()).filter(n -> n.endsWith(SUFFIX))
                    .map(n -> URLDecoder.decode(n.substring(0, n.length() - SUFFIX.length()), StandardCharsets.UTF_8))
                    .forEach(names::add);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot list " + dir, e);
        }
        return new ArrayList<>(names);
    }

    /**
     * An accepted reported change: the new reported version and the client's patch as accepted (JSON object
     * text, {@code null} for a removed property).
     */
    record ReportedChange(long version, String patchJson) {
    }

    /**
     * Applies a reported-properties merge patch and returns the new reported version; {@code accepted} is told the
     * change once the patch is valid and before it is saved, under this object's lock. When {@code accepted}
     * throws, the twin is left unchanged and the exception propagates; a refused patch never reaches it.
     *
     * @throws DialectException 400 when the patch is not a JSON object of valid properties, 413 when the result
     *     is too large
     */
    @Override
    public synchronized long patchReported(String identity, String patchJson, Consumer<ReportedChange> accepted) {
        JsonNode patch;
        try {
            patch = json.readTree(patchJson);
        } catch (JsonProcessingException e) {
            throw new DialectException(400, "the reported patch is not JSON: " + e.getOriginalMessage());
        }
        if (patch == null || !patch.isObject()) {
            throw new DialectException(400, "the reported patch must be a JSON object");
        }
        check((ObjectNode) patch, "reported", 1);
        ObjectNode twin = load(identity).orElseGet(this::empty);
        ObjectNode reported = ((ObjectNode) twin.get("reported")).deepCopy();
        long version = reported.path(VERSION).asLong(1) + 1;
        reported.remove(VERSION);
        merge(reported, (ObjectNode) patch);
        reported.put(VERSION, version);
        if (reported.toString().getBytes(StandardCharsets.UTF_8).length > MAX_SECTION_BYTES) {
            throw new DialectException(413, "the reported properties would exceed " + MAX_SECTION_BYTES + " bytes");
        }
        twin.set("reported", reported);
        accepted.accept(new ReportedChange(version, patch.toString()));
        save(identity, twin);
        return version;
    }

    /**
     * Replaces the desired properties (JSON object text without {@code $version}); returns the change when they
     * differ from the stored ones.
     */
    synchronized Optional<DesiredChange> setDesired(String identity, String desiredJson) {
        JsonNode fresh;
        try {
            fresh = json.readTree(desiredJson);
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException("desired properties of " + identity + " are not JSON: "
                    + e.getOriginalMessage());
        }
        if (fresh == null || !fresh.isObject()) {
            throw new IllegalArgumentException("desired properties of " + identity + " must be a JSON object");
        }
        ObjectNode wanted = ((ObjectNode) fresh).deepCopy();
        wanted.remove(VERSION);
        ObjectNode twin = load(identity).orElseGet(this::empty);
        ObjectNode current = ((ObjectNode) twin.get("desired")).deepCopy();
        long old = current.path(VERSION).asLong(1);
        current.remove(VERSION);
        if (current.equals(wanted) && load(identity).isPresent()) {
            return Optional.empty();
        }
        ObjectNode patch = diff(current, wanted);
        long version = old + 1;
        wanted.put(VERSION, version);
        patch.put(VERSION, version);
        twin.set("desired", wanted);
        save(identity, twin);
        return Optional.of(new DesiredChange(version, patch.toString()));
    }

    private ObjectNode empty() {
        ObjectNode twin = json.createObjectNode();
        twin.putObject("desired").put(VERSION, 1);
        twin.putObject("reported").put(VERSION, 1);
        return twin;
    }

    private Optional<ObjectNode> load(String identity) {
        ObjectNode cached = cache.get(identity);
        if (cached != null) {
            return Optional.of(cached.deepCopy());
        }
        Path file = file(identity);
        if (!Files.exists(file)) {
            return Optional.empty();
        }
        try {
            JsonNode node = json.readTree(Files.readAllBytes(file));
            if (node == null || !node.path("desired").isObject() || !node.path("reported").isObject()) {
                throw new IllegalStateException("twin file " + file + " is not {desired, reported}");
            }
            cache.put(identity, (ObjectNode) node);
            return Optional.of(((ObjectNode) node).deepCopy());
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read twin file " + file, e);
        }
    }

    private void save(String identity, ObjectNode twin) {
        Path file = file(identity);
        Path tmp = file.resolveSibling(file.getFileName() + ".tmp");
        try {
            try (FileChannel out = FileChannel.open(tmp, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
                    StandardOpenOption.TRUNCATE_EXISTING)) {
                ByteBuffer bytes = ByteBuffer.wrap(json.writeValueAsBytes(twin));
                while (bytes.hasRemaining()) {
                    out.write(bytes);
                }
                out.force(true);
            }
            Files.move(tmp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write twin file " + file, e);
        }
        cache.put(identity, twin.deepCopy());
    }

    private Path file(String identity) {
        if (identity == null || identity.isEmpty() || identity.length() > 300) {
            throw new IllegalArgumentException("identity must be 1..300 characters: " + identity);
        }
        return dir.resolve(URLEncoder.encode(identity, StandardCharsets.UTF_8) + SUFFIX);
    }

    /** IoT Hub's rules for property names: not empty, no {@code $} first, no {@code .}, space or control chars. */
    private static void check(ObjectNode node, String path, int depth) {
        if (depth > MAX_DEPTH) {
            throw new DialectException(400, path + " nests deeper than " + MAX_DEPTH + " levels");
        }
        Iterator<Map.Entry<String, JsonNode>> fields = node.fields();
        while (fields.hasNext()) {
            Map.Entry<String, JsonNode> f = fields.next();
            String name = f.getKey();
            if (name.isEmpty() || name.startsWith("$") || name.chars().anyMatch(c -> c == '.' || c == ' ' || c < 32)) {
                throw new DialectException(400, "property name '" + path + "." + name
                        + "' is empty, starts with '$' or holds '.', ' ' or a control character");
            }
            if (f.getValue().isObject()) {
                check((ObjectNode) f.getValue(), path + "." + name, depth + 1);
            }
        }
    }

    /** JSON merge patch: {@code null} removes, objects merge, anything else replaces. */
    static void merge(ObjectNode target, ObjectNode patch) {
        Iterator<Map.Entry<String, JsonNode>> fields = patch.fields();
        while (fields.hasNext()) {
            Map.Entry<String, JsonNode> f = fields.next();
            JsonNode value = f.getValue();
            if (value.isNull()) {
                target.remove(f.getKey());
            } else if (value.isObject()) {
                JsonNode existing = target.get(f.getKey());
                ObjectNode into = existing != null && existing.isObject() ? (ObjectNode) existing
                        : target.putObject(f.getKey());
                merge(into, (ObjectNode) value);
            } else {
                target.set(f.getKey(), value.deepCopy());
            }
        }
    }

    /** The merge patch that turns {@code from} into {@code to}. */
    static ObjectNode diff(ObjectNode from, ObjectNode to) {
        ObjectNode patch = from.objectNode();
        Iterator<Map.Entry<String, JsonNode>> fields = to.fields();
        while (fields.hasNext()) {
            Map.Entry<String, JsonNode> f = fields.next();
            JsonNode old = from.get(f.getKey());
            if (old == null || !old.equals(f.getValue())) {
                if (old != null && old.isObject() && f.getValue().isObject()) {
                    patch.set(f.getKey(), diff((ObjectNode) old, (ObjectNode) f.getValue()));
                } else {
                    patch.set(f.getKey(), f.getValue().deepCopy());
                }
            }
        }
        Iterator<String> names = from.fieldNames();
        while (names.hasNext()) {
            String name = names.next();
            if (!to.has(name)) {
                patch.putNull(name);
            }
        }
        return patch;
    }
}

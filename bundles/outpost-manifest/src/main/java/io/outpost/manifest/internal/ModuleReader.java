package io.outpost.manifest.internal;

import io.outpost.manifest.DesiredStatus;
import io.outpost.manifest.ImagePullPolicy;
import io.outpost.manifest.ModuleSpec;
import io.outpost.manifest.RestartPolicy;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.TreeMap;
import java.util.regex.Pattern;

/** One entry of {@code modules} or {@code systemModules}, defaults applied. */
final class ModuleReader {

    /** Which properties an entry has depends on where it is declared. */
    enum Kind {
        /** A user module under {@code modules}. */
        USER,
        /** {@code systemModules.edgeAgent}: no status, restart policy or startup order. */
        EDGE_AGENT,
        /** {@code systemModules.edgeHub}. */
        EDGE_HUB
    }

    private enum Type {
        DOCKER("docker");

        final String wire;

        Type(String wire) {
            this.wire = wire;
        }
    }

    private static final Pattern DIGEST = Pattern.compile("[a-z0-9]+(?:[.+_-][a-z0-9]+)*:[0-9a-fA-F]{32,}");

    private final CreateOptionsReader createOptions;

    ModuleReader(JsonText json) {
        this.createOptions = new CreateOptionsReader(json);
    }

    /**
     * @param withStartupOrder whether the agent schema knows {@code startupOrder} (1.1 and later)
     * @param desired the module twin's desired properties as JSON text
     */
    Optional<ModuleSpec> read(String name, Section module, Kind kind, boolean withStartupOrder, String desired) {
        String version = kind == Kind.USER ? module.string("version", false, "a version text").orElse("") : "";
        Optional<Type> type = module.choice("type", true, Type.values(), t -> t.wire, "module type");
        Optional<DesiredStatus> status = kind == Kind.EDGE_AGENT ? Optional.of(DesiredStatus.RUNNING)
                : module.choice("status", true, DesiredStatus.values(), DesiredStatus::wireName, "module status");
        Optional<RestartPolicy> restart = kind == Kind.EDGE_AGENT ? Optional.of(RestartPolicy.ALWAYS)
                : module.choice("restartPolicy", true, RestartPolicy.values(), RestartPolicy::wireName,
                        "restart policy");
        Optional<ImagePullPolicy> pull = module.choice("imagePullPolicy", false, ImagePullPolicy.values(),
                ImagePullPolicy::wireName, "image pull policy");
        OptionalLong order = kind == Kind.EDGE_AGENT ? OptionalLong.empty() : startupOrder(module, withStartupOrder);
        Optional<Settings> settings = module.object("settings", true).flatMap(this::settings);
        Optional<Map<String, String>> env = EnvReader.read(module);
        module.warnUnknown();
        if (type.isEmpty() || status.isEmpty() || restart.isEmpty() || settings.isEmpty() || env.isEmpty()
                || module.problems().hasErrors()) {
            return Optional.empty();
        }
        Settings s = settings.get();
        return Optional.of(new ModuleSpec(name, version, type.get().wire, status.get(), restart.get(),
                pull.orElse(ImagePullPolicy.ON_CREATE), order.orElse(ModuleSpec.MAX_STARTUP_ORDER), s.image(),
                s.digest(), s.createOptions(), new TreeMap<>(env.get()), desired));
    }

    private record Settings(String image, String digest, String createOptions) {
    }

    private static OptionalLong startupOrder(Section module, boolean supported) {
        if (module.has("startupOrder") && !supported) {
            module.markRead("startupOrder");
            module.problems().warning(module.pointer("startupOrder"), "startupOrder needs $edgeAgent schemaVersion "
                    + "1.1; it is ignored under 1.0");
            return OptionalLong.empty();
        }
        return module.integer("startupOrder", 0, ModuleSpec.MAX_STARTUP_ORDER);
    }

    private Optional<Settings> settings(Section settings) {
        Optional<String> image = settings.string("image", true, "an image name").flatMap(i -> image(settings, i));
        Optional<String> digest = settings.string("digest", false, "an image digest");
        if (digest.isPresent() && !DIGEST.matcher(digest.get()).matches()) {
            settings.problems().error(settings.pointer("digest"), Json.quote(digest.get()) + " is not an image "
                    + "digest; expected <algorithm>:<hex>, such as sha256: and 64 hex digits");
            digest = Optional.empty();
        }
        boolean digestOk = digest.isPresent() || !settings.has("digest");
        Optional<String> options = createOptions.read(settings);
        settings.warnUnknown();
        if (image.isEmpty() || options.isEmpty() || !digestOk) {
            return Optional.empty();
        }
        return Optional.of(new Settings(image.get(), digest.orElse(""), options.get()));
    }

    private static Optional<String> image(Section settings, String image) {
        String pointer = settings.pointer("image");
        String problem = null;
        if (image.isBlank()) {
            problem = "the image name is empty; expected a reference such as registry.example.com/sensor:1.0";
        } else if (image.contains("${")) {
            problem = Json.quote(image) + " holds an unsubstituted template variable; expected an image reference";
        } else if (image.chars().anyMatch(Character::isWhitespace)) {
            problem = Json.quote(image) + " is not an image reference; an image reference has no whitespace";
        }
        if (problem != null) {
            settings.problems().error(pointer, problem);
            return Optional.empty();
        }
        return Optional.of(image);
    }
}

package io.outpost.agent.internal;

import io.outpost.container.ContainerEngine;
import io.outpost.container.ContainerSpec;
import io.outpost.container.RegistryCredentials;
import java.time.Duration;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** The commands a plan is made of; each one small, each with a deterministic id. */
final class Commands {

    private static final Logger LOG = LoggerFactory.getLogger(Commands.class);

    private Commands() {
    }

    /**
     * Pulls a module's image. When the pull fails and the image is already present, the module is created from
     * the local copy (a device without its registry keeps working) and the failure is logged.
     */
    record Pull(String module, String image, Optional<RegistryCredentials> credentials) implements Command {
        public String id() {
            return "pull:" + module;
        }

        public void execute(ContainerEngine engine) {
            try {
                engine.pull(image, credentials);
            } catch (RuntimeException e) {
                if (!engine.imagePresent(image)) {
                    throw e;
                }
                LOG.warn("image-pull-failed-using-local module={} image={} error={}", module, image, e.getMessage());
            }
        }

        public String show() {
            return "pull " + image + credentials.map(c -> " from " + c.address()).orElse("");
        }
    }

    record Create(ContainerSpec spec, ModuleHooks hooks) implements Command {
        public String id() {
            return "create:" + module();
        }

        public String module() {
            return spec.owner().moduleId();
        }

        public void execute(ContainerEngine engine) {
            engine.create(hooks.beforeCreate(spec));
        }

        public String show() {
            return "create " + spec.name() + " from " + spec.image();
        }
    }

    record Start(String module) implements Command {
        public String id() {
            return "start:" + module;
        }

        public void execute(ContainerEngine engine) {
            engine.start(module);
        }

        public String show() {
            return "start " + module;
        }
    }

    record Stop(String module, Duration timeout) implements Command {
        public String id() {
            return "stop:" + module;
        }

        public void execute(ContainerEngine engine) {
            engine.stop(module, timeout);
        }

        public String show() {
            return "stop " + module + " (timeout " + timeout.toSeconds() + " s)";
        }
    }

    /** Retires a module that left the deployment, once its container is removed. */
    record Retire(String deviceId, String module, ModuleHooks hooks) implements Command {
        public String id() {
            return "retire:" + module;
        }

        public void execute(ContainerEngine engine) {
            hooks.retired(deviceId, module);
        }

        public String show() {
            return "retire the identity of " + module;
        }
    }

    record Remove(String module) implements Command {
        public String id() {
            return "remove:" + module;
        }

        public void execute(ContainerEngine engine) {
            engine.remove(module);
        }

        public String show() {
            return "remove " + module;
        }
    }
}

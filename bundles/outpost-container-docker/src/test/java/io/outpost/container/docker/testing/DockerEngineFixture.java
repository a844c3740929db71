package io.outpost.container.docker.testing;

import io.outpost.common.OutpostException;
import io.outpost.container.ContainerEngine;
import io.outpost.container.docker.internal.DockerContainerEngine;
import io.outpost.testing.DockerCli;
import java.lang.annotation.Annotation;

/**
 * The real Docker engine adapter outside OSGi, for the tests of other bundles (outpost-container-docker's
 * test-jar), configured as the feature ships it (host networking for modules). Opening fails, never skips, when no
 * engine answers. Only the exported {@link ContainerEngine} crosses this boundary.
 */
public final class DockerEngineFixture implements AutoCloseable {

    private final DockerContainerEngine engine;

    private DockerEngineFixture(DockerContainerEngine engine) {
        this.engine = engine;
    }

    /** The adapter on the engine at {@code dockerHost} ({@code unix:///var/run/docker.sock} for the local one). */
    public static DockerEngineFixture open(String dockerHost) {
        DockerContainerEngine engine = new DockerContainerEngine(new EngineConfig(dockerHost));
        try {
            engine.engineVersion();
        } catch (OutpostException e) {
            engine.close();
            throw new AssertionError("No Docker engine answers at " + dockerHost + ": " + DockerCli.ENGINE_HINT + " ("
                    + e.getMessage() + ")", e);
        }
        return new DockerEngineFixture(engine);
    }

    public ContainerEngine engine() {
        return engine;
    }

    @Override
    public void close() {
        engine.close();
    }

    /** The engine adapter's configuration as the feature ships it: host networking for modules. */
    // A stand-in for the DS configuration that only the adapter reads: nothing compares or hashes it, so the
    // Annotation contract for equals and hashCode does not apply.
    @SuppressWarnings({"ClassExplicitlyAnnotation", "BadAnnotationImplementation"})
    private record EngineConfig(String dockerHost) implements DockerContainerEngine.Config {

        @Override
        public String apiVersion() {
            return "";
        }

        @Override
        public int connectTimeoutMillis() {
            return 5000;
        }

        @Override
        public int responseTimeoutSeconds() {
            return 60;
        }

        @Override
        public int pullTimeoutSeconds() {
            return 120;
        }

        @Override
        public String defaultNetworkMode() {
            return "host";
        }

        @Override
        public Class<? extends Annotation> annotationType() {
            return DockerContainerEngine.Config.class;
        }
    }
}

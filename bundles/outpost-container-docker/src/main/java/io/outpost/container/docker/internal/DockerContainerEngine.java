package io.outpost.container.docker.internal;

import com.github.dockerjava.api.command.InspectContainerResponse;
import com.github.dockerjava.api.command.LogContainerCmd;
import com.github.dockerjava.api.exception.NotFoundException;
import com.github.dockerjava.api.exception.NotModifiedException;
import com.github.dockerjava.api.model.Event;
import com.github.dockerjava.api.model.EventType;
import com.github.dockerjava.api.model.Frame;
import io.outpost.common.OutpostException;
import io.outpost.container.ContainerEngine;
import io.outpost.container.ContainerErrorCode;
import io.outpost.container.ContainerEvent;
import io.outpost.container.ContainerInfo;
import io.outpost.container.ContainerLabels;
import io.outpost.container.ContainerSpec;
import io.outpost.container.ContainerSummary;
import io.outpost.container.LogLine;
import io.outpost.container.LogOptions;
import io.outpost.container.RegistryCredentials;
import io.outpost.container.StreamListener;
import io.outpost.container.Subscription;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Supplier;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.ConfigurationPolicy;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.Designate;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The {@link ContainerEngine} on a Docker Engine, through docker-java embedded in this bundle. Containers
 * are created from the createOptions JSON sent verbatim (see {@link CreateOptions}); every other call uses
 * docker-java's commands. Calls that name a container first inspect it and refuse containers without
 * {@code io.outpost.managed=true}.
 */
@Component(service = ContainerEngine.class, configurationPid = DockerContainerEngine.PID,
        configurationPolicy = ConfigurationPolicy.OPTIONAL)
@Designate(ocd = DockerContainerEngine.Config.class)
public final class DockerContainerEngine implements ContainerEngine, AutoCloseable {

    static final String PID = "io.outpost.container.docker";
    private static final Logger LOG = LoggerFactory.getLogger(DockerContainerEngine.class);

    @ObjectClassDefinition(name = "Outpost Docker engine", description = "How Outpost reaches the Docker Engine")
    public @interface Config {
        @AttributeDefinition(description = "Engine address: unix:///path/to/docker.sock or tcp://host:port")
        String dockerHost() default "unix:///var/run/docker.sock";

        @AttributeDefinition(description = "Engine API version to speak, e.g. 1.41; empty: the engine's own")
        String apiVersion() default "";

        @AttributeDefinition(description = "Milliseconds to wait for a connection to the engine")
        int connectTimeoutMillis() default 5000;

        @AttributeDefinition(description = "Seconds a short call (inspect, create, start, list) may wait for an answer")
        int responseTimeoutSeconds() default 60;

        @AttributeDefinition(description = "Seconds an image pull may take")
        int pullTimeoutSeconds() default 600;

        @AttributeDefinition(description = "HostConfig.NetworkMode for containers whose createOptions set none: host, "
                + "none, or a network name such as azure-iot-edge (created as a bridge when missing; host when the "
                + "engine cannot give it); empty: the engine's default")
        String defaultNetworkMode() default "";
    }

    private final EngineSettings settings;
    private final DockerClients clients;
    private final DockerErrors errors;
    private final ModuleNetwork network;
    private final ContainerCreator creator;

    @Activate
    public DockerContainerEngine(Config config) {
        this(EngineSettings.from(config));
    }

    DockerContainerEngine(EngineSettings settings) {
        this.settings = settings;
        this.clients = DockerClients.open(settings);
        this.errors = new DockerErrors(settings.dockerHost());
        this.network = new ModuleNetwork(settings.defaultNetworkMode(), clients.calls(), errors);
        this.creator = new ContainerCreator(clients.http(), clients.apiPrefix(), network::mode, errors);
        LOG.info("docker-engine-configured host={} apiVersion={} defaultNetworkMode={}", settings.dockerHost(),
                settings.apiVersion().isEmpty() ? "engine" : settings.apiVersion(), settings.defaultNetworkMode());
    }

    @Deactivate
    @Override
    public void close() {
        clients.close();
    }

    @Override
    public String engineVersion() {
        return call("query version of", "engine", ContainerErrorCode.ENGINE_ERROR,
                () -> clients.calls().versionCmd().exec().getVersion());
    }

    @Override
    public boolean imagePresent(String image) {
        return call("inspect image", image, ContainerErrorCode.IMAGE_NOT_FOUND, () -> {
            try {
                clients.calls().inspectImageCmd(image).exec();
                return true;
            } catch (NotFoundException e) {
                return false;
            }
        });
    }

    @Override
    public void pull(String image, Optional<RegistryCredentials> credentials) {
        new ImagePuller(clients.streams(), errors, settings.pullTimeout()).pull(image, credentials);
    }

    @Override
    public String create(ContainerSpec spec) {
        String id = call("create container", spec.name(), ContainerErrorCode.IMAGE_NOT_FOUND, () -> creator.create(spec));
        LOG.info("container-created name={} id={} module={} deploymentVersion={}", spec.name(), shortId(id),
                spec.owner().moduleId(), spec.owner().deploymentVersion());
        return id;
    }

    @Override
    public void start(String nameOrId) {
        String id = requireManaged("start", nameOrId).getId();
        call("start container", nameOrId, ContainerErrorCode.CONTAINER_NOT_FOUND, () -> {
            try {
                clients.calls().startContainerCmd(id).exec();
            } catch (NotModifiedException alreadyRunning) {
                LOG.debug("container-already-running name={}", nameOrId);
            }
            return null;
        });
        LOG.info("container-started name={} id={}", nameOrId, shortId(id));
    }

    @Override
    public void stop(String nameOrId, Duration timeout) {
        String id = requireManaged("stop", nameOrId).getId();
        int seconds = (int) Math.max(0, Math.min(Integer.MAX_VALUE, timeout.toSeconds()));
        call("stop container", nameOrId, ContainerErrorCode.CONTAINER_NOT_FOUND, () -> {
            try {
                clients.streams().stopContainerCmd(id).withTimeout(seconds).exec();
            } catch (NotModifiedException alreadyStopped) {
                LOG.debug("container-already-stopped name={}", nameOrId);
            }
            return null;
        });
        LOG.info("container-stopped name={} id={} timeoutSeconds={}", nameOrId, shortId(id), seconds);
    }

    @Override
    public void remove(String nameOrId) {
        InspectContainerResponse inspected;
        try {
            inspected = requireManaged("remove", nameOrId);
        } catch (OutpostException e) {
            if (e.errorCode() == ContainerErrorCode.CONTAINER_NOT_FOUND) {
                return;
            }
            throw e;
        }
        String id = inspected.getId();
        call("remove container", nameOrId, ContainerErrorCode.CONTAINER_NOT_FOUND, () -> {
            try {
                clients.streams().removeContainerCmd(id).withForce(true).withRemoveVolumes(false).exec();
            } catch (NotFoundException alreadyGone) {
                LOG.debug("container-already-removed name={}", nameOrId);
            }
            return null;
        });
        LOG.info("container-removed name={} id={}", nameOrId, shortId(id));
    }

    @Override
    public Optional<ContainerInfo> inspect(String nameOrId) {
        try {
            return Optional.of(DockerModels.toInfo(requireManaged("inspect", nameOrId)));
        } catch (OutpostException e) {
            if (e.errorCode() == ContainerErrorCode.CONTAINER_NOT_FOUND) {
                return Optional.empty();
            }
            throw e;
        }
    }

    @Override
    public List<ContainerSummary> listManaged() {
        return call("list containers", "managed by Outpost", ContainerErrorCode.ENGINE_ERROR,
                () -> clients.calls().listContainersCmd()
                        .withShowAll(true)
                        .withLabelFilter(Map.of(ContainerLabels.MANAGED, "true"))
                        .exec().stream()
                        .filter(c -> DockerModels.isManaged(c.getLabels()))
                        .map(DockerModels::toSummary)
                        .toList());
    }

    @Override
    public Subscription logs(String nameOrId, LogOptions options, StreamListener<LogLine> listener) {
        String id = requireManaged("read logs of", nameOrId).getId();
        StreamCallback<Frame, LogLine> callback = new StreamCallback<>(DockerModels::toLogLine, listener,
                failure -> errors.translate("read logs of", nameOrId, failure, ContainerErrorCode.CONTAINER_NOT_FOUND));
        return call("read logs of", nameOrId, ContainerErrorCode.CONTAINER_NOT_FOUND, () -> {
            LogContainerCmd cmd = clients.streams().logContainerCmd(id)
                    .withStdOut(true).withStdErr(true).withFollowStream(options.follow());
            cmd = options.tail().isPresent() ? cmd.withTail(options.tail().getAsInt()) : cmd.withTailAll();
            if (options.since().isPresent()) {
                cmd = cmd.withSince((int) options.since().get().getEpochSecond());
            }
            return cmd.exec(callback);
        });
    }

    @Override
    public Subscription events(Optional<Instant> since, StreamListener<ContainerEvent> listener) {
        StreamCallback<Event, ContainerEvent> callback = new StreamCallback<>(DockerModels::toEvent, listener,
                failure -> errors.translate("stream events of", "engine", failure, ContainerErrorCode.ENGINE_ERROR));
        return call("stream events of", "engine", ContainerErrorCode.ENGINE_ERROR, () -> {
            var cmd = clients.streams().eventsCmd()
                    .withEventTypeFilter(EventType.CONTAINER)
                    .withLabelFilter(Map.of(ContainerLabels.MANAGED, "true"));
            if (since.isPresent()) {
                cmd = cmd.withSince(Long.toString(since.get().getEpochSecond()));
            }
            return cmd.exec(callback);
        });
    }

    /** Inspects the container and refuses it unless Outpost manages it. */
    private InspectContainerResponse requireManaged(String operation, String nameOrId) {
        InspectContainerResponse inspected = call(operation, nameOrId, ContainerErrorCode.CONTAINER_NOT_FOUND,
                () -> clients.calls().inspectContainerCmd(nameOrId).exec());
        if (!DockerModels.isManaged(DockerModels.labels(inspected))) {
            throw new OutpostException(ContainerErrorCode.NOT_MANAGED, operation + " " + nameOrId
                    + " refused: the container is not managed by Outpost (no label " + ContainerLabels.MANAGED + "=true)");
        }
        return inspected;
    }

    private <T> T call(String operation, String target, ContainerErrorCode notFound, Supplier<T> action) {
        try {
            return BundleContext.call(action);
        } catch (RuntimeException e) {
            throw errors.translate(operation, target, e, notFound);
        }
    }

    private static String shortId(String id) {
        return id.length() > 12 ? id.substring(0, 12) : id;
    }
}

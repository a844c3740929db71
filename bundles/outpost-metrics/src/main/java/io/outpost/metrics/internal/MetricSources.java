package io.outpost.metrics.internal;

import io.outpost.deployment.DeploymentService;
import io.outpost.hub.ConnectedClients;
import io.outpost.hub.MessageRouter;
import io.outpost.hub.MessageStore;
import io.outpost.hub.UpstreamSender;
import java.nio.file.Path;
import java.util.Optional;

/**
 * Where the figures come from, read on every scrape. A service that is not there (the cloud link is off, the
 * agent is not installed) gives no metrics, rather than zeros that would look like real values.
 */
interface MetricSources {

    Optional<MessageStore> store();

    Optional<MessageRouter> router();

    Optional<ConnectedClients> clients();

    Optional<UpstreamSender> upstream();

    Optional<DeploymentService> deployments();

    /** The directory whose file system {@code edgeAgent_*_disk_space_bytes} reports. */
    Path dataDir();
}

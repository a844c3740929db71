package io.outpost.cloud.endpoint.internal;

import io.outpost.cloud.Twin;
import io.outpost.cloud.TwinId;
import io.outpost.cloud.TwinService;
import io.outpost.iothub.ClientIdentity;
import io.outpost.iothub.ConnectedClient;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Pushes desired-property changes to the connected identities that subscribed to them. For each such identity it
 * remembers the desired properties the client last saw (its twin GET answer, or the last push) and, on every
 * {@link #poll()}, compares them with the store: when the desired version moved, it pushes the merge patch between
 * the two. The store is the only source, so a change made through any cloud node (REST, fleet deployments, the
 * shell) reaches the client.
 */
final class DesiredWatcher {

    private static final Logger LOG = LoggerFactory.getLogger(DesiredWatcher.class);

    /** How a patch reaches a client: the dialect server's desired push. */
    interface Pusher {
        CompletionStage<Void> push(ClientIdentity target, long version, String patchJson);
    }

    /**
     * One connection of an identity: a take-over's new connection is a different one, so that the old
     * connection's end does not remove the new one's watch.
     */
    record Connection(ClientIdentity identity, String remoteAddress, Instant connectedSince) {
        static Connection of(ConnectedClient client) {
            return new Connection(client.identity(), client.remoteAddress(), client.connectedSince());
        }
    }

    /** What the watching connection last saw; {@code desired} null until known. */
    private record Seen(Connection connection, long version, String desired) {
        Seen saw(long newVersion, String newDesired) {
            return new Seen(connection, newVersion, newDesired);
        }
    }

    private final TwinService twins;
    private final Pusher pusher;
    private final Map<ClientIdentity, Seen> seen = new ConcurrentHashMap<>();

    DesiredWatcher(TwinService twins, Pusher pusher) {
        this.twins = twins;
        this.pusher = pusher;
    }

    /** The connection subscribed to desired pushes; it replaces the watch of an earlier connection. */
    void watch(Connection connection) {
        seen.compute(connection.identity(), (id, old) -> old != null && old.connection().equals(connection) ? old
                : new Seen(connection, -1, null));
    }

    /** The client read its twin: it holds these desired properties now. */
    void sawTwin(ClientIdentity identity, Twin twin) {
        seen.computeIfPresent(identity, (id, old) -> old.saw(twin.desiredVersion(), twin.desired()));
    }

    /** The connection is gone; a watch that a newer connection of the identity holds stays. */
    void forget(Connection connection) {
        seen.computeIfPresent(connection.identity(), (id, old) -> old.connection().equals(connection) ? null : old);
    }

    int watched() {
        return seen.size();
    }

    /** Compares every watched identity's desired properties with the store and pushes what changed. */
    void poll() {
        for (ClientIdentity identity : seen.keySet()) {
            try {
                check(identity);
            } catch (RuntimeException e) {
                LOG.warn("desired-check-failed identity={} error=\"{}\"", identity, e.getMessage());
            }
        }
    }

    private void check(ClientIdentity identity) {
        Optional<Twin> current = twins.get(twinId(identity));
        if (current.isEmpty()) {
            return;
        }
        Twin twin = current.get();
        Seen before = seen.get(identity);
        if (before == null || twin.desiredVersion() <= before.version()) {
            return;
        }
        if (before.desired() == null) {
            seen.computeIfPresent(identity, (id, old) -> old.desired() == null ? old.saw(twin.desiredVersion(),
                    twin.desired()) : old);
            return;
        }
        String patch = TwinJson.desiredPatch(before.desired(), twin.desired(), twin.desiredVersion());
        if (seen.computeIfPresent(identity, (id, old) -> old.version() < twin.desiredVersion()
                ? old.saw(twin.desiredVersion(), twin.desired()) : old) == null) {
            return;
        }
        pusher.push(identity, twin.desiredVersion(), patch).whenComplete((ok, error) -> {
            if (error != null) {
                LOG.debug("desired-push-failed identity={} version={} error=\"{}\"", identity, twin.desiredVersion(),
                        error.getMessage());
            } else {
                LOG.debug("desired-pushed identity={} version={}", identity, twin.desiredVersion());
            }
        });
    }

    static TwinId twinId(ClientIdentity identity) {
        return new TwinId(identity.deviceId(), identity.moduleId());
    }
}

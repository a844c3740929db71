package io.outpost.cloud.endpoint.internal;

import static org.assertj.core.api.Assertions.assertThat;

import io.outpost.cloud.DeviceAuth;
import io.outpost.cloud.TwinId;
import io.outpost.cloud.TwinPatch;
import io.outpost.cloud.TwinSection;
import io.outpost.cloud.store.testing.CloudStoreFixture;
import io.outpost.common.SystemClock;
import io.outpost.iothub.ClientIdentity;
import io.outpost.iothub.ConnectedClient;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The take-over order that the network cannot be made to produce on demand: the new connection of an identity
 * subscribes before the old connection's end reaches the host. The host is driven through its dialect callbacks in
 * that order, over a real H2 store.
 */
class DesiredWatcherTakeOverTest {

    @TempDir
    Path dir;

    CloudStoreFixture store;
    ExecutorService db;
    final List<String> pushed = new CopyOnWriteArrayList<>();
    DesiredWatcher watcher;
    CloudDialectHost host;

    @BeforeEach
    void start() {
        store = CloudStoreFixture.openH2(dir.resolve("registry"), 2, 100, SystemClock.INSTANCE);
        store.registry().create("dev-a", new DeviceAuth.SymmetricKeys(CloudEndpointTest.KEY_A, ""), "{}");
        db = Executors.newSingleThreadExecutor();
        watcher = new DesiredWatcher(store.twins(), (target, version, patch) -> {
            pushed.add(target + " " + patch);
            return CompletableFuture.completedFuture(null);
        });
        host = new CloudDialectHost(store.registry(), store.twins(), store.deployments(), store.telemetry(),
                new Authenticator(store.registry(), ""), watcher, SystemClock.INSTANCE, db, db, 0);
    }

    @AfterEach
    void stop() throws InterruptedException {
        // the store's work runs on db: let it end before the store (and its files) close
        db.shutdownNow();
        db.awaitTermination(10, java.util.concurrent.TimeUnit.SECONDS);
        store.close();
    }

    static ConnectedClient connection(ClientIdentity identity, String remote, Instant since) {
        return new ConnectedClient(identity, "MQTT 3.1.1", true, remote, since, Optional.empty(), Set.of());
    }

    @Test
    void givenNewConnectionSubscribedBeforeTheOldOneEnded_whenDesiredChanges_thenTheNewConnectionIsStillWatched() {
        ClientIdentity device = ClientIdentity.parse("dev-a");
        ConnectedClient old = connection(device, "127.0.0.1:50001", Instant.parse("2026-12-07T10:00:00Z"));
        ConnectedClient taker = connection(device, "127.0.0.1:50002", Instant.parse("2026-12-07T10:00:05Z"));
        host.connected(old);
        host.subscribed(device, "$iothub/twin/PATCH/properties/desired/#");
        host.connected(taker);
        host.subscribed(device, "$iothub/twin/PATCH/properties/desired/#");
        host.disconnected(old);
        watcher.poll();

        store.twins().update(TwinId.device("dev-a"), TwinPatch.merge(TwinSection.DESIRED, "{\"interval\": 7}"));
        watcher.poll();

        assertThat(watcher.watched()).isEqualTo(1);
        assertThat(pushed).hasSize(1);
        assertThat(pushed.get(0)).contains("\"interval\":7");

        host.disconnected(taker);

        assertThat(watcher.watched()).as("the last connection's end removes the watch").isZero();
    }
}

package io.outpost.hub.internal;

import static io.outpost.hub.internal.ManifestRoutesTest.manifest;
import static io.outpost.hub.internal.StoreFixture.message;
import static org.assertj.core.api.Assertions.assertThat;

import io.outpost.common.ManualClock;
import io.outpost.deployment.DesiredState;
import io.outpost.hub.IncomingMessage;
import io.outpost.hub.RouteDefinition;
import io.outpost.hub.RouteResult;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The router keeps the last applied deployment's routes, so a restarted hub routes at once. */
class RouterComponentTest {

    @TempDir
    Path dir;

    private ArtemisMessageStore store;

    @BeforeEach
    void open() {
        store = StoreFixture.open(dir.resolve("store"), ManualClock.atEpochOf2026());
    }

    @AfterEach
    void close() {
        store.close();
    }

    @Test
    void givenAppliedDeployment_whenRouterStartsAgain_thenItsRoutesAreInEffectBeforeAnyDeploymentArrives()
            throws Exception {
        Path kept = dir.resolve("router/" + RouterComponent.LAST_ROUTES_FILE);
        new RouterComponent(store, kept).deploymentChanged(
                DesiredState.ofContent(manifest("routes-only.json"), "test"));
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(kept))).isEqualTo("rw-------");

        RouterComponent restarted = new RouterComponent(store, kept);

        assertThat(restarted.routes()).extracting(RouteDefinition::name)
                .containsExactlyInAnyOrder("alarms", "telemetry", "to-filter");
        RouteResult result = restarted.route(IncomingMessage.fromModule("sensor", "temperature", message("t")));
        assertThat(result.enqueued()).extracting(RouteResult.Enqueued::endpoint)
                .containsExactly("module/filter/input1");
        assertThat(store.stats("module/filter/input1").length()).isEqualTo(1);
    }

    @Test
    void givenUnreadableDeployment_whenApplied_thenTheKeptRoutesStay() throws Exception {
        Path kept = dir.resolve("router/" + RouterComponent.LAST_ROUTES_FILE);
        RouterComponent router = new RouterComponent(store, kept);
        router.deploymentChanged(DesiredState.ofContent(manifest("routes-only.json"), "test"));

        router.deploymentChanged(DesiredState.ofContent("{}".getBytes(), "test"));

        assertThat(new RouterComponent(store, kept).routes()).hasSize(3);
        assertThat(router.routes()).hasSize(3);
    }

    @Test
    void givenNoDeploymentEverApplied_whenStarted_thenNoRoutes() {
        assertThat(new RouterComponent(store, dir.resolve("none/" + RouterComponent.LAST_ROUTES_FILE)).routes())
                .isEmpty();
    }
}

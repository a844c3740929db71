package io.outpost.agent.internal;

import static io.outpost.agent.internal.Manifests.manifest;
import static io.outpost.agent.internal.Manifests.manifestWithRoutes;
import static io.outpost.agent.internal.Manifests.module;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.outpost.common.ManualClock;
import io.outpost.common.OutpostException;
import io.outpost.container.ContainerState;
import io.outpost.deployment.DeploymentStatus;
import io.outpost.deployment.DesiredState;
import io.outpost.deployment.RuntimeStatus;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ReconcilerTest {

    @TempDir
    Path dataDir;

    private final ManualClock clock = ManualClock.atEpochOf2026();
    private final FakeEngine engine = new FakeEngine(clock);

    private Reconciler reconciler() {
        Reconciler r = new Reconciler(AgentSettings.defaults("dev", dataDir), engine, clock);
        r.restore();
        return r;
    }

    private static DesiredState state(String version, byte[] manifest) {
        return new DesiredState(version, manifest, "test");
    }

    @Test
    void givenValidManifest_whenApplied_thenModulesRunAndDeploymentConverges() {
        Reconciler r = reconciler();

        r.apply(state("v1", manifest(module("a", "img-a", 0, "always", "running", "x"))));
        r.pass();
        r.pass();

        DeploymentStatus s = r.status();
        assertThat(s.code()).isEqualTo(200);
        assertThat(s.converged()).isTrue();
        assertThat(s.module("a")).hasValueSatisfying(m -> assertThat(m.runtimeStatus()).isEqualTo(RuntimeStatus.RUNNING));
    }

    @Test
    void givenRunningDeployment_whenInvalidManifestApplied_thenRefusedWithPointerAndNothingTouched() {
        Reconciler r = reconciler();
        r.apply(state("v1", manifest(module("a", "img-a", 0, "always", "running", "x"))));
        r.pass();
        engine.calls.clear();

        DeploymentStatus s = r.apply(state("v2", manifest(module("a", "img-a", 0, "sometimes", "running", "x"))));
        r.pass();

        assertThat(s.code()).isEqualTo(400);
        assertThat(s.lastDesiredVersion()).isEqualTo("v2");
        assertThat(s.runningVersion()).contains("v1");
        assertThat(s.description()).contains("/restartPolicy");
        assertThat(engine.calls).isEmpty();
        assertThat(engine.get("a").state()).isEqualTo(ContainerState.RUNNING);
    }

    @Test
    void givenRunningDeployment_whenManifestWithUnparsableRouteApplied_thenRefusedNamingRouteAndNothingChanges() {
        Reconciler r = reconciler();
        r.apply(state("v1", manifest(module("a", "img-a", 0, "always", "running", "x"))));
        r.pass();
        engine.calls.clear();

        DeploymentStatus s = r.apply(state("v2", manifestWithRoutes(
                "\"r1\": \"FROM /messages/* WHERE level = INTO $upstream\"",
                module("a", "img-a", 0, "always", "running", "x"), module("b", "img-b", 1, "always", "running", "x"))));
        r.pass();

        assertThat(s.code()).isEqualTo(400);
        assertThat(s.description()).isEqualTo("error: /modulesContent/$edgeHub/properties.desired/routes/r1: the route "
                + "does not parse at column 32: expected a value, a name, a function call or '(', found 'INTO'");
        assertThat(s.lastDesiredVersion()).isEqualTo("v2");
        assertThat(s.runningVersion()).contains("v1");
        assertThat(r.status().code()).as("still reported after a pass").isEqualTo(400);
        assertThat(r.status().description()).isEqualTo(s.description());
        assertThat(engine.calls).isEmpty();
        assertThat(engine.get("b")).isNull();
        assertThat(engine.get("a").state()).isEqualTo(ContainerState.RUNNING);
        assertThat(reconciler().running()).hasValueSatisfying(d -> assertThat(d.version()).isEqualTo("v1"));
    }

    @Test
    void givenNewDeploymentWhoseModuleCannotStart_whenWindowPasses_thenRolledBackAndOldModuleKeepsRunning() {
        Reconciler r = reconciler();
        r.apply(state("v1", manifest(module("a", "img-a", 0, "always", "running", "x"))));
        r.pass();
        r.pass();
        engine.failing.add("start b");

        r.apply(state("v2", manifest(module("a", "img-a", 0, "always", "running", "x"),
                module("b", "img-b", 0, "always", "running", "x"))));
        r.pass();
        assertThat(r.status().code()).isEqualTo(500);
        assertThat(r.status().description()).contains("module b").contains("injected failure");
        clock.advance(Duration.ofSeconds(120));
        r.pass();
        r.pass();

        DeploymentStatus s = r.status();
        assertThat(s.runningVersion()).contains("v1");
        assertThat(s.lastDesiredVersion()).isEqualTo("v2");
        assertThat(s.description()).contains("rolled back to v1").contains("module b");
        assertThat(engine.get("b")).isNull();
        assertThat(engine.get("a").state()).isEqualTo(ContainerState.RUNNING);
    }

    @Test
    void givenConvergedDeployment_whenNextOneAccepted_thenStatusShowsItsModulesPendingNotTheOldOnes() {
        Reconciler r = reconciler();
        r.apply(state("v1", manifest(module("a", "img-a", 0, "always", "running", "x"))));
        r.pass();
        r.pass();

        DeploymentStatus accepted = r.apply(state("v2", manifest(module("a", "img-a", 0, "always", "running", "x"),
                module("b", "img-b", 1, "always", "running", "x"))));

        assertThat(accepted.converged()).isFalse();
        assertThat(r.status().converged()).isFalse();
        assertThat(accepted.modules()).extracting(m -> m.name()).containsExactly("a", "b");
        assertThat(accepted.modules()).extracting(m -> m.runtimeStatus()).containsOnly(RuntimeStatus.UNKNOWN);
    }

    @Test
    void givenStoredDeployment_whenRestoredBeforeAnyPass_thenNotReportedConverged() {
        Reconciler first = reconciler();
        first.apply(state("v1", manifest(module("a", "img-a", 0, "always", "running", "x"))));
        first.pass();

        Reconciler second = reconciler();

        assertThat(second.status().converged()).isFalse();
        assertThat(second.status().module("a")).hasValueSatisfying(
                m -> assertThat(m.runtimeStatus()).isEqualTo(RuntimeStatus.UNKNOWN));
    }

    @Test
    void givenFailingCommand_whenPassesRepeat_thenRetriedOnlyAfterCoolOff() {
        Reconciler r = reconciler();
        engine.failing.add("create a");
        r.apply(state("v1", manifest(module("a", "img-a", 0, "always", "running", "x"))));

        r.pass();
        r.pass();
        clock.advance(Duration.ofSeconds(9));
        r.pass();
        assertThat(engine.calls.stream().filter("create a"::equals)).hasSize(1);

        clock.advance(Duration.ofSeconds(1));
        r.pass();
        assertThat(engine.calls.stream().filter("create a"::equals)).hasSize(2);
        assertThat(r.status().module("a")).hasValueSatisfying(m -> {
            assertThat(m.runtimeStatus()).isEqualTo(RuntimeStatus.BACKOFF);
            assertThat(m.statusDescription()).contains("create a from img-a failed: injected failure of create a");
        });
    }

    @Test
    void givenStoredDeployment_whenAgentRestarts_thenItIsRestoredAndNothingIsDuplicated() {
        Reconciler first = reconciler();
        first.apply(state("v1", manifest(module("a", "img-a", 0, "always", "running", "x"))));
        first.pass();
        engine.calls.clear();

        Reconciler second = reconciler();
        second.pass();

        assertThat(second.status().runningVersion()).contains("v1");
        assertThat(second.status().converged()).isTrue();
        assertThat(engine.calls).isEmpty();
    }

    @Test
    void givenRestartCounts_whenAgentRestarts_thenTheyAreKept() {
        Reconciler first = reconciler();
        first.apply(state("v1", manifest(module("a", "img-a", 0, "always", "running", "x"))));
        first.pass();
        engine.exit("a", 1);
        clock.advance(Duration.ofSeconds(10));
        first.pass();

        Reconciler second = reconciler();
        second.pass();

        assertThat(second.status().module("a")).hasValueSatisfying(m -> assertThat(m.restartCount()).isEqualTo(1));
    }

    @Test
    void givenUnknownModule_whenRestartRequested_thenErrorNamesIt() {
        Reconciler r = reconciler();
        r.apply(state("v1", manifest(module("a", "img-a", 0, "always", "running", "x"))));

        assertThatThrownBy(() -> r.requestRestart("zz")).isInstanceOf(OutpostException.class)
                .hasMessageContaining("'zz'");
    }

    @Test
    void givenRestartRequest_whenPassRuns_thenModuleIsStoppedAndStartedOnce() {
        Reconciler r = reconciler();
        r.apply(state("v1", manifest(module("a", "img-a", 0, "always", "running", "x"))));
        r.pass();
        engine.calls.clear();

        r.requestRestart("a");
        r.pass();
        r.pass();

        assertThat(engine.calls).containsExactly("stop a", "start a");
    }

    @Test
    void givenEmptyDocument_whenApplied_thenCode417() {
        Reconciler r = reconciler();

        DeploymentStatus s = r.apply(state("v0", "{}".getBytes(StandardCharsets.UTF_8)));

        assertThat(s.code()).isIn(400, 417);
        assertThat(s.runningVersion()).isEmpty();
    }
}

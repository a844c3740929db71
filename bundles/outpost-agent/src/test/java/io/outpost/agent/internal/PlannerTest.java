package io.outpost.agent.internal;

import static io.outpost.agent.internal.Manifests.manifest;
import static io.outpost.agent.internal.Manifests.module;
import static org.assertj.core.api.Assertions.assertThat;

import io.outpost.common.ManualClock;
import io.outpost.container.ContainerInfo;
import io.outpost.container.HealthStatus;
import io.outpost.manifest.DeploymentManifest;
import io.outpost.manifest.ManifestParser;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

class PlannerTest {

    private final ManualClock clock = ManualClock.atEpochOf2026();
    private final AgentSettings settings = AgentSettings.defaults("dev", Path.of("unused"));
    private final Planner planner = new Planner(settings);
    private final FakeEngine engine = new FakeEngine(clock);

    private static DeploymentManifest parse(byte[] json) {
        return new ManifestParser().parse(json).orElseThrow();
    }

    private Plan plan(DeploymentManifest desired, Map<Long, java.time.Instant> blockedSince) {
        Map<String, ContainerInfo> current = new HashMap<>();
        engine.listManaged().forEach(s -> current.put(s.module(), engine.inspect(s.id()).orElseThrow()));
        return planner.plan(new PlanInput(desired, "v1", current, Map.of(), Set.of(), blockedSince, clock.now()));
    }

    private static List<String> ids(Plan plan) {
        return plan.commands().stream().map(Command::id).toList();
    }

    private void run(Plan plan) {
        plan.commands().forEach(c -> c.execute(engine));
    }

    @Test
    void givenThreeStartupGroups_whenPlannedFromScratch_thenOnlyTheFirstGroupIsCreatedAndStarted() {
        DeploymentManifest desired = parse(manifest(module("c", "img-c", 2, "always", "running", "x"),
                module("a", "img-a", 0, "always", "running", "x"), module("b", "img-b", 1, "always", "running", "x")));

        Plan first = plan(desired, Map.of());

        assertThat(ids(first)).containsExactly("create:a", "start:a");
        assertThat(first.blockedGroup()).contains(0L);
    }

    @Test
    void givenLowerGroupRunning_whenPlannedAgain_thenNextGroupStartsInOrder() {
        DeploymentManifest desired = parse(manifest(module("c", "img-c", 2, "always", "running", "x"),
                module("a", "img-a", 0, "always", "running", "x"), module("b", "img-b", 1, "always", "running", "x")));
        run(plan(desired, Map.of()));

        Plan second = plan(desired, Map.of());
        run(second);
        Plan third = plan(desired, Map.of());
        run(third);

        assertThat(ids(second)).containsExactly("create:b", "start:b");
        assertThat(ids(third)).containsExactly("create:c", "start:c");
        assertThat(engine.calls).containsExactly("create a", "start a", "create b", "start b", "create c", "start c");
    }

    @Test
    void givenGroupWithStartingHealthcheck_whenStartupWaitPasses_thenNextGroupStartsAnyway() {
        DeploymentManifest desired = parse(manifest(module("a", "img-a", 0, "always", "running", "x"),
                module("b", "img-b", 1, "always", "running", "x")));
        run(plan(desired, Map.of()));
        engine.health("a", HealthStatus.STARTING);
        java.time.Instant blocked = clock.now();

        assertThat(ids(plan(desired, Map.of(0L, blocked)))).isEmpty();
        clock.advance(settings.startupWait());
        assertThat(ids(plan(desired, Map.of(0L, blocked)))).containsExactly("create:b", "start:b");
    }

    @Test
    void givenRunningDeployment_whenOneModuleEnvChanges_thenOnlyThatModuleIsRecreated() {
        run(plan(parse(manifest(module("a", "img-a", 0, "always", "running", "x"),
                module("b", "img-b", 0, "always", "running", "x"))), Map.of()));
        engine.calls.clear();

        Plan plan = plan(parse(manifest(module("a", "img-a", 0, "always", "running", "x"),
                module("b", "img-b", 0, "always", "running", "CHANGED"))), Map.of());

        assertThat(ids(plan)).containsExactly("stop:b", "remove:b", "create:b", "start:b");
    }

    @Test
    void givenRunningDeployment_whenOnlyVersionOrPolicyChanges_thenNothingIsRecreated() {
        run(plan(parse(manifest(module("a", "img-a", 0, "always", "running", "x"))), Map.of()));

        Plan plan = plan(parse(manifest(module("a", "img-a", 0, "on-failure", "running", "x"))), Map.of());

        assertThat(ids(plan)).isEmpty();
        assertThat(plan.statuses()).singleElement().satisfies(s -> assertThat(s.converged()).isTrue());
    }

    @Test
    void givenModuleNoLongerDesired_whenPlanned_thenStoppedAndRemovedBeforeAnythingElse() {
        run(plan(parse(manifest(module("a", "img-a", 0, "always", "running", "x"),
                module("old", "img-o", 0, "always", "running", "x"))), Map.of()));

        Plan plan = plan(parse(manifest(module("a", "img-a", 0, "always", "running", "x"),
                module("new", "img-n", 0, "always", "running", "x"))), Map.of());

        assertThat(ids(plan)).containsExactly("stop:old", "remove:old", "retire:old", "create:new", "start:new");
    }

    @Test
    void givenStatusStopped_whenModuleRuns_thenItIsStopped() {
        run(plan(parse(manifest(module("a", "img-a", 0, "always", "running", "x"))), Map.of()));

        Plan plan = plan(parse(manifest(module("a", "img-a", 0, "always", "stopped", "x"))), Map.of());

        assertThat(ids(plan)).containsExactly("stop:a");
    }

    @Test
    void givenPullPolicyOnCreate_whenCreated_thenPulledFirstWithTheRegistryCredentials() {
        String json = new String(manifest(module("a", "registry.local:5000/a:1", 0, "always", "running", "x")))
                .replace("\"imagePullPolicy\": \"never\"", "\"imagePullPolicy\": \"on-create\"")
                .replace("\"minDockerVersion\": \"v1.25\"", "\"minDockerVersion\": \"v1.25\", \"registryCredentials\": "
                        + "{\"local\": {\"address\": \"registry.local:5000\", \"username\": \"u\", \"password\": \"p\"}}");

        Plan plan = plan(parse(json.getBytes()), Map.of());

        assertThat(ids(plan)).containsExactly("pull:a", "create:a", "start:a");
        assertThat(((Commands.Pull) plan.commands().get(0)).credentials()).hasValueSatisfying(c ->
                assertThat(c.username()).isEqualTo("u"));
    }

    @Test
    void givenExitedModuleUnderOnFailure_whenCoolOffPasses_thenRestartIsPlannedAndCounted() {
        DeploymentManifest desired = parse(manifest(module("a", "img-a", 0, "on-failure", "running", "x")));
        run(plan(desired, Map.of()));
        engine.exit("a", 1);

        assertThat(ids(plan(desired, Map.of()))).isEmpty();
        clock.advance(Duration.ofSeconds(10));
        Plan plan = plan(desired, Map.of());

        assertThat(ids(plan)).containsExactly("start:a");
        assertThat(plan.restarts()).containsExactly("a");
    }
}

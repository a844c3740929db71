package io.outpost.agent.internal;

import static io.outpost.agent.internal.Manifests.manifest;
import static io.outpost.agent.internal.Manifests.module;
import static org.assertj.core.api.Assertions.assertThat;

import io.outpost.common.ManualClock;
import io.outpost.deployment.DesiredState;
import io.outpost.security.HubNames;
import io.outpost.security.ModuleEnvironment;
import io.outpost.security.ModuleProvisioning;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ModuleHooksTest {

    @TempDir
    Path dataDir;

    private final ManualClock clock = ManualClock.atEpochOf2026();
    private final FakeEngine engine = new FakeEngine(clock);
    private final List<String> calls = new ArrayList<>();

    /** Records the agent's calls; the real provisioning is tested in the security bundle. */
    private final ModuleProvisioning provisioning = new ModuleProvisioning() {
        private int generation;

        public ModuleEnvironment provision(String deviceId, String moduleId, boolean newGeneration) {
            calls.add("provision " + moduleId + " new=" + newGeneration);
            generation++;
            return new ModuleEnvironment(Map.of("IOTEDGE_MODULEID", moduleId, "IOTEDGE_MODULEGENERATIONID",
                    "g" + generation), "/data/workload/" + moduleId + "/workload.sock",
                    ModuleEnvironment.CONTAINER_SOCKET);
        }

        public void serve(String deviceId, String moduleId) {
            calls.add("serve " + moduleId);
        }

        public void retire(String deviceId, String moduleId) {
            calls.add("retire " + moduleId);
        }

        public HubNames hubNames() {
            return new HubNames("hub.example.net", "gateway.example.net");
        }
    };

    private Reconciler reconciler() {
        Reconciler r = new Reconciler(AgentSettings.defaults("dev", dataDir), engine, clock,
                new ModuleHooks(Optional.of(provisioning)));
        r.restore();
        return r;
    }

    @Test
    void givenProvisioning_whenModuleCreated_thenItGetsIdentityEnvironmentAndSocketBind() {
        Reconciler r = reconciler();

        r.apply(new DesiredState("v1", manifest(module("a", "img-a", 0, "always", "running", "x")), "test"));
        r.pass();

        assertThat(engine.created.get("a").env()).containsEntry("IOTEDGE_MODULEID", "a")
                .containsEntry("IOTEDGE_MODULEGENERATIONID", "g1").containsEntry("MODE", "x");
        assertThat(engine.created.get("a").binds()).containsExactly("/data/workload/a:/var/run/iotedge");
        assertThat(calls).containsExactly("provision a new=true");
    }

    @Test
    void givenProvisionedModule_whenPassesRepeatOrAgentRestarts_thenNotRecreatedAndSocketServedAgain() {
        Reconciler r = reconciler();
        r.apply(new DesiredState("v1", manifest(module("a", "img-a", 0, "always", "running", "x")), "test"));
        r.pass();
        engine.calls.clear();

        r.pass();
        reconciler().pass();

        assertThat(engine.calls).isEmpty();
        assertThat(calls).containsExactly("provision a new=true", "serve a", "serve a");
    }

    @Test
    void givenModuleLeavesTheDeployment_whenPlanned_thenItsIdentityIsRetiredAfterRemoval() {
        Reconciler r = reconciler();
        r.apply(new DesiredState("v1", manifest(module("a", "img-a", 0, "always", "running", "x"),
                module("b", "img-b", 0, "always", "running", "x")), "test"));
        r.pass();

        r.apply(new DesiredState("v2", manifest(module("a", "img-a", 0, "always", "running", "x")), "test"));
        r.pass();

        assertThat(engine.calls).containsSubsequence("stop b", "remove b");
        assertThat(calls).endsWith("retire b");
        assertThat(engine.get("b")).isNull();
    }
}

package io.outpost.agent.internal;

import static io.outpost.agent.internal.ItManifest.Module.looping;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.outpost.common.SystemClock;
import io.outpost.deployment.DeploymentStatus;
import io.outpost.deployment.DesiredState;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.function.Predicate;
import org.junit.jupiter.api.Test;

/**
 * The host access policy on the real engine: a refused deployment creates no container at all, an allow-listed
 * one runs with its binds and capabilities, and a warned one runs with its settings shown in its status.
 */
class HostAccessPolicyOnEngineIT extends AgentItBase {

    private static final String ROOT_ACCESS = "{\"HostConfig\":{\"Privileged\":true,"
            + "\"Binds\":[\"/var/run/docker.sock:/var/run/docker.sock\"]}}";

    private Reconciler reconciler(HostAccessPolicy policy) {
        Reconciler r = new Reconciler(AgentLoop.settings(device, dataDir.resolve("policy"), NO_ROLLBACK), engine,
                SystemClock.INSTANCE, ModuleHooks.none(), policy);
        r.restore();
        return r;
    }

    private static DeploymentStatus passUntil(Reconciler r, Predicate<DeploymentStatus> condition) {
        return await().atMost(CONVERGE).until(() -> {
            r.pass();
            return r.status();
        }, condition);
    }

    @Test
    void givenDenyPolicy_whenDeploymentBindsDockerSocketPrivileged_thenRefusedAndNoContainerIsCreated() {
        Reconciler r = reconciler(HostAccessPolicy.of("deny", new String[0], new String[0], new String[0]));

        DeploymentStatus s = r.apply(new DesiredState("v1", ItManifest.of(looping(module("plain"), 0),
                looping(module("root"), 1).withCreateOptions(ROOT_ACCESS)).bytes(), "it"));
        r.pass();
        r.pass();

        assertThat(s.code()).isEqualTo(400);
        assertThat(s.runningVersion()).isEmpty();
        assertThat(s.description()).contains("hostAccess = deny")
                .contains("module '" + module("root") + "': createOptions HostConfig.Privileged = true")
                .contains("module '" + module("root") + "': createOptions HostConfig.Binds[0] = /var/run/docker.sock")
                .doesNotContain(module("plain"));
        assertThat(r.status().code()).isEqualTo(400);
        assertThat(EngineItSupport.deviceContainers(device)).isEmpty();
    }

    @Test
    void givenDenyPolicyWithAllowLists_whenDeploymentUsesOnlyListedSettings_thenItRunsWithThem() throws Exception {
        Path data = Files.createDirectories(dataDir.resolve("module-data"));
        Reconciler r = reconciler(HostAccessPolicy.of("deny", new String[] {data.toString()}, new String[0],
                new String[] {"NET_ADMIN"}));
        String m = module("listed");

        r.apply(new DesiredState("v1", ItManifest.of(looping(m, 0).withCreateOptions("{\"HostConfig\":{\"Binds\":[\""
                + data + ":/data\"],\"CapAdd\":[\"NET_ADMIN\"]}}")).bytes(), "it"));
        DeploymentStatus s = passUntil(r, DeploymentStatus::converged);

        assertThat(s.description()).isEmpty();
        assertThat(EngineItSupport.inspect(m, "{{json .HostConfig.Binds}}")).contains(data + ":/data");
        assertThat(EngineItSupport.inspect(m, "{{json .HostConfig.CapAdd}}")).contains("NET_ADMIN");
    }

    @Test
    void givenStoredDeploymentWithCapAdd_whenAgentRestartsUnderDeny_thenItIsNotRestored() {
        String m = module("stored");
        Reconciler warn = reconciler(HostAccessPolicy.defaults());
        warn.apply(new DesiredState("v1", ItManifest.of(looping(m, 0).withCreateOptions(
                "{\"HostConfig\":{\"CapAdd\":[\"SYS_TIME\"]}}")).bytes(), "it"));
        passUntil(warn, DeploymentStatus::converged);

        Reconciler deny = reconciler(HostAccessPolicy.of("deny", new String[0], new String[0], new String[0]));
        deny.pass();

        assertThat(deny.running()).isEmpty();
        assertThat(deny.status().runningVersion()).isEmpty();
        Reconciler listed = reconciler(HostAccessPolicy.of("deny", new String[0], new String[0],
                new String[] {"SYS_TIME"}));
        assertThat(listed.running().map(DesiredState::version)).contains("v1");
    }

    @Test
    void givenWarnPolicy_whenDeploymentAddsCapabilityAndHostPid_thenItRunsAndStatusListsThem() {
        Reconciler r = reconciler(HostAccessPolicy.defaults());
        String m = module("warned");

        r.apply(new DesiredState("v1", ItManifest.of(looping(m, 0).withCreateOptions(
                "{\"hostConfig\":{\"capAdd\":[\"sys_time\"],\"pidMode\":\"host\"}}")).bytes(), "it"));
        DeploymentStatus s = passUntil(r, DeploymentStatus::converged);

        assertThat(s.code()).isEqualTo(200);
        assertThat(s.description()).startsWith("host access allowed with warnings (hostAccess = warn): ")
                .contains("module '" + m + "': createOptions hostConfig.capAdd[0] = SYS_TIME");
        assertThat(s.module(m).orElseThrow().statusDescription())
                .contains("host access: hostConfig.capAdd[0]=SYS_TIME, hostConfig.pidMode=host");
        assertThat(EngineItSupport.inspect(m, "{{.HostConfig.PidMode}}")).isEqualTo("host");
    }
}

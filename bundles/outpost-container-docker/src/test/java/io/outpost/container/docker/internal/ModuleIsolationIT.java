package io.outpost.container.docker.internal;

import static io.outpost.container.docker.internal.DockerItSupport.TEST_IMAGE;
import static io.outpost.container.docker.internal.DockerItSupport.name;
import static io.outpost.testing.DockerCli.docker;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;
import static org.awaitility.Awaitility.await;

import io.outpost.container.ContainerInfo;
import io.outpost.container.ContainerOwner;
import io.outpost.container.ContainerSpec;
import io.outpost.container.ContainerState;
import io.outpost.testing.DockerCli;
import java.time.Duration;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * What isolates a module on the real engine: NET_RAW dropped unless asked for, and the default network mode
 * with its probe: a named network is created once and used, and a network the engine cannot give (the
 * {@code bridge} of an engine started with {@code --bridge=none}, as scripts/docker-engine.sh starts it) falls
 * back to the host's network.
 */
class ModuleIsolationIT {

    private static final ContainerOwner OWNER = new ContainerOwner("it-device", "it-module", "1");
    /** CAP_NET_RAW is capability 13: bit 13 of the CapEff mask in /proc/PID/status. */
    private static final long NET_RAW_BIT = 1L << 13;
    private static final String NETWORK = name("net");

    private static DockerContainerEngine engine;

    @BeforeAll
    static void engineAndImages() throws Exception {
        engine = DockerItSupport.engine();
        DockerItSupport.ensureTestImage();
    }

    @AfterAll
    static void cleanUp() {
        DockerItSupport.removeRunContainers();
        docker("network", "rm", NETWORK);
        if (engine != null) {
            engine.close();
        }
    }

    private static long effectiveCapabilities(String name) {
        await().atMost(Duration.ofSeconds(30)).until(() -> engine.inspect(name).map(ContainerInfo::state)
                .orElseThrow() == ContainerState.RUNNING);
        DockerCli.Result status = docker("exec", name, "grep", "CapEff", "/proc/1/status");
        assertThat(status.exitCode()).as(status.output()).isZero();
        return Long.parseUnsignedLong(status.output().replace("CapEff:", "").trim(), 16);
    }

    @Test
    void givenOptionsWithoutCapAdd_whenCreated_thenNetRawIsDroppedInTheEngineAndTheProcess() {
        String name = name("no-net-raw");
        engine.create(ContainerSpec.of(name, TEST_IMAGE, "{\"HostConfig\":{\"NetworkMode\":\"none\"}}", OWNER));
        engine.start(name);

        assertThat(docker("inspect", "--format", "{{json .HostConfig.CapDrop}}", name).output().trim())
                .isEqualTo("[\"NET_RAW\"]");
        assertThat(effectiveCapabilities(name) & NET_RAW_BIT).isZero();
    }

    @Test
    void givenOptionsAskingForNetRaw_whenCreated_thenTheModuleHasIt() {
        String name = name("net-raw");
        engine.create(ContainerSpec.of(name, TEST_IMAGE,
                "{\"HostConfig\":{\"NetworkMode\":\"none\",\"CapAdd\":[\"NET_RAW\"]}}", OWNER));
        engine.start(name);

        assertThat(docker("inspect", "--format", "{{json .HostConfig.CapDrop}}", name).output().trim())
                .isIn("null", "[]");
        assertThat(effectiveCapabilities(name) & NET_RAW_BIT).isEqualTo(NET_RAW_BIT);
    }

    @Test
    void givenCapabilitiesSpeltInLowerCase_whenCreated_thenTheContainerCanBeInspected() {
        String name = name("lower-case-caps");
        engine.create(ContainerSpec.of(name, TEST_IMAGE,
                "{\"hostConfig\":{\"networkMode\":\"none\",\"capAdd\":[\"sys_time\",\"cap_net_raw\"]}}", OWNER));

        assertThat(engine.inspect(name)).isPresent();
        assertThat(docker("inspect", "--format", "{{json .HostConfig.CapAdd}}", name).output().trim())
                .isEqualTo("[\"SYS_TIME\",\"NET_RAW\"]");
    }

    @Test
    void givenBridgeModeOnEngineWithoutBridge_whenCreated_thenTheModuleFallsBackToTheHostNetwork() {
        if (docker("network", "inspect", "bridge").exitCode() == 0) {
            fail("this test needs an engine without the default bridge network, as scripts/docker-engine.sh starts "
                    + "it (dockerd --bridge=none); this engine has one");
        }
        try (DockerContainerEngine bridged = new DockerContainerEngine(
                EngineSettings.defaults(DockerItSupport.DOCKER_HOST).withDefaultNetworkMode("bridge"))) {
            String name = name("bridge-fallback");
            bridged.create(ContainerSpec.of(name, TEST_IMAGE, "{}", OWNER));

            assertThat(docker("inspect", "--format", "{{.HostConfig.NetworkMode}}", name).output().trim())
                    .isEqualTo("host");
            assertThat(docker("network", "inspect", "bridge").exitCode()).isNotZero();
        }
    }

    @Test
    void givenNamedNetworkMode_whenModulesAreCreated_thenTheNetworkIsCreatedOnceAndUsed() {
        try (DockerContainerEngine named = new DockerContainerEngine(
                EngineSettings.defaults(DockerItSupport.DOCKER_HOST).withDefaultNetworkMode(NETWORK))) {
            String first = name("on-network-1");
            String second = name("on-network-2");
            named.create(ContainerSpec.of(first, TEST_IMAGE, "{}", OWNER));
            named.create(ContainerSpec.of(second, TEST_IMAGE, "{\"HostConfig\":{\"NetworkMode\":\"none\"}}", OWNER));
            named.start(first);

            assertThat(docker("inspect", "--format", "{{.HostConfig.NetworkMode}}", first).output().trim())
                    .isEqualTo(NETWORK);
            assertThat(docker("inspect", "--format", "{{.HostConfig.NetworkMode}}", second).output().trim())
                    .isEqualTo("none");
            assertThat(docker("network", "inspect", "--format",
                    "{{.Driver}} {{index .Labels \"io.outpost.managed\"}}", NETWORK).output().trim())
                    .isEqualTo("bridge true");
            assertThat(docker("network", "ls", "-q", "--filter", "name=^" + NETWORK + "$").output().lines()
                    .filter(l -> !l.isBlank())).hasSize(1);
        }
    }
}

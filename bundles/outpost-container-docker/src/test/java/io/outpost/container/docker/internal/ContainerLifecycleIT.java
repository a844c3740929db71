package io.outpost.container.docker.internal;

import static io.outpost.container.docker.internal.DockerItSupport.TEST_IMAGE;
import static io.outpost.container.docker.internal.DockerItSupport.name;
import static io.outpost.testing.DockerCli.docker;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.outpost.common.OutpostException;
import io.outpost.container.ContainerErrorCode;
import io.outpost.container.ContainerInfo;
import io.outpost.container.ContainerLabels;
import io.outpost.container.ContainerOwner;
import io.outpost.container.ContainerSpec;
import io.outpost.container.ContainerState;
import io.outpost.container.HealthStatus;
import io.outpost.container.LogLine;
import io.outpost.container.LogOptions;
import io.outpost.container.StreamListener;
import io.outpost.container.Subscription;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Creates, starts, inspects, reads, stops and removes real containers on the real engine. */
class ContainerLifecycleIT {

    private static final ContainerOwner OWNER = new ContainerOwner("it-device", "it-module", "3");
    private static DockerContainerEngine engine;

    @BeforeAll
    static void engineAndImages() throws Exception {
        engine = DockerItSupport.engine();
        DockerItSupport.ensureTestImage();
    }

    @AfterAll
    static void cleanUp() {
        DockerItSupport.removeRunContainers();
        if (engine != null) {
            engine.close();
        }
    }

    private static ContainerInfo awaitInfo(String name, java.util.function.Predicate<ContainerInfo> condition) {
        return await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(100))
                .until(() -> engine.inspect(name).orElseThrow(), condition);
    }

    @Test
    void givenSpec_whenCreatedStartedStoppedRemoved_thenEachStepShowsInTheEngine() {
        String name = name("lifecycle");
        String options = "{\"Env\":[\"FROM_OPTIONS=1\",\"OVERRIDE=old\"],\"HostConfig\":{\"NetworkMode\":\"none\"},"
                + "\"Labels\":{\"custom\":\"yes\"},\"Cmd\":[\"sh\",\"-c\",\"echo out-$OVERRIDE-$EXTRA; echo err-line >&2; sleep 300\"]}";
        ContainerSpec spec = new ContainerSpec(name, TEST_IMAGE, options, Map.of("OVERRIDE", "new", "EXTRA", "x"),
                Map.of("team", "edge"), OWNER);

        String id = engine.create(spec);
        assertThat(engine.inspect(name)).get().extracting(ContainerInfo::state).isEqualTo(ContainerState.CREATED);
        engine.start(name);
        engine.start(id);

        ContainerInfo running = awaitInfo(name, i -> i.state() == ContainerState.RUNNING);
        assertThat(running.id()).isEqualTo(id);
        assertThat(running.name()).isEqualTo(name);
        assertThat(running.image()).isEqualTo(TEST_IMAGE);
        assertThat(running.imageId()).startsWith("sha256:");
        assertThat(running.startedAt()).isPresent();
        assertThat(running.finishedAt()).isEmpty();
        assertThat(running.labels()).containsEntry(ContainerLabels.MANAGED, "true")
                .containsEntry(ContainerLabels.DEVICE, "it-device").containsEntry(ContainerLabels.MODULE, "it-module")
                .containsEntry(ContainerLabels.DEPLOYMENT_VERSION, "3").containsEntry("custom", "yes")
                .containsEntry("team", "edge").containsEntry(ContainerLabels.CONFIG_HASH, spec.configHash());
        assertThat(docker("inspect", "--format", "{{json .Config.Env}}", name).output())
                .contains("\"FROM_OPTIONS=1\"", "\"OVERRIDE=new\"", "\"EXTRA=x\"").doesNotContain("OVERRIDE=old");
        assertThat(engine.listManaged()).anySatisfy(s -> {
            assertThat(s.name()).isEqualTo(name);
            assertThat(s.state()).isEqualTo(ContainerState.RUNNING);
            assertThat(s.module()).isEqualTo("it-module");
        });

        List<LogLine> lines = readLog(name, LogOptions.ALL, l -> l.size() >= 2);
        assertThat(lines).contains(new LogLine(LogLine.Stream.STDOUT, "out-new-x\n"),
                new LogLine(LogLine.Stream.STDERR, "err-line\n"));

        engine.stop(name, Duration.ofSeconds(1));
        ContainerInfo stopped = engine.inspect(name).orElseThrow();
        assertThat(stopped.state()).isEqualTo(ContainerState.EXITED);
        assertThat(stopped.exitCode()).isEqualTo(137);
        assertThat(stopped.finishedAt()).isPresent();
        engine.stop(name, Duration.ofSeconds(1));

        engine.remove(name);
        assertThat(engine.inspect(name)).isEmpty();
        assertThat(engine.listManaged()).noneSatisfy(s -> assertThat(s.name()).isEqualTo(name));
        engine.remove(name);
    }

    @Test
    void givenCommandExitingNonZero_whenStarted_thenExitedWithItsCode() {
        String name = name("exit3");
        engine.create(ContainerSpec.of(name, TEST_IMAGE,
                "{\"Cmd\":[\"sh\",\"-c\",\"exit 3\"],\"HostConfig\":{\"NetworkMode\":\"none\"}}", OWNER));
        engine.start(name);

        ContainerInfo exited = awaitInfo(name, i -> i.state() == ContainerState.EXITED);

        assertThat(exited.exitCode()).isEqualTo(3);
        assertThat(exited.finishedAt()).isPresent();
    }

    @Test
    void givenImageHealthcheckThatFails_whenRunning_thenUnhealthy() {
        String name = name("unhealthy");
        engine.create(ContainerSpec.of(name, TEST_IMAGE, "{\"HostConfig\":{\"NetworkMode\":\"none\"}}", OWNER));
        engine.start(name);

        ContainerInfo info = awaitInfo(name, i -> i.health() == HealthStatus.UNHEALTHY);

        assertThat(info.state()).isEqualTo(ContainerState.RUNNING);
    }

    @Test
    void givenHealthcheckInCreateOptions_whenItPasses_thenHealthy() {
        String name = name("healthy");
        engine.create(ContainerSpec.of(name, TEST_IMAGE, "{\"Healthcheck\":{\"Test\":[\"CMD\",\"true\"],"
                + "\"Interval\":500000000,\"Retries\":1},\"HostConfig\":{\"NetworkMode\":\"none\"}}", OWNER));
        engine.start(name);

        assertThat(awaitInfo(name, i -> i.health() != HealthStatus.STARTING).health()).isEqualTo(HealthStatus.HEALTHY);
    }

    @Test
    void givenFollowedLog_whenContainerPrints_thenLinesArriveUntilClosed() {
        String name = name("follow");
        engine.create(ContainerSpec.of(name, TEST_IMAGE, "{\"Cmd\":[\"sh\",\"-c\",\"i=0; while true; do i=$((i+1)); "
                + "echo tick-$i; sleep 0.2; done\"],\"HostConfig\":{\"NetworkMode\":\"none\"}}", OWNER));
        engine.start(name);
        List<LogLine> lines = new CopyOnWriteArrayList<>();

        try (Subscription ignored = engine.logs(name, LogOptions.ALL.withTail(1).following(), lines::add)) {
            await().atMost(Duration.ofSeconds(20)).until(() -> lines.size() >= 3);
        }
        int afterClose = lines.size();

        assertThat(lines).allSatisfy(l -> assertThat(l.text()).startsWith("tick-"));
        await().during(Duration.ofMillis(700)).atMost(Duration.ofSeconds(2)).until(() -> lines.size() <= afterClose + 1);
    }

    @Test
    void givenBrokenOrImpossibleSpecs_whenCreated_thenNonRetryableErrorsNameTheProblem() {
        assertThatThrownBy(() -> engine.create(ContainerSpec.of(name("bad-json"), TEST_IMAGE, "{\"Cmd\":", OWNER)))
                .isInstanceOfSatisfying(OutpostException.class, e -> assertCode(e, ContainerErrorCode.INVALID_CREATE_OPTIONS));
        for (String rejected : List.of("{\"HostConfig\":{\"RestartPolicy\":{\"Name\":\"bogus\"}}}",
                "{\"HostConfig\":{\"Binds\":[\"/host-dir:not-absolute\"]}}", "{\"HostConfig\":{\"Privileged\":\"yes\"}}")) {
            assertThatThrownBy(() -> engine.create(ContainerSpec.of(name("rejected"), TEST_IMAGE, rejected, OWNER)))
                    .as(rejected)
                    .isInstanceOfSatisfying(OutpostException.class, e -> assertCode(e, ContainerErrorCode.INVALID_CREATE_OPTIONS));
        }
        assertThatThrownBy(() -> engine.create(ContainerSpec.of(name("no-image"), "outpost-it/absent:0", "{}", OWNER)))
                .isInstanceOfSatisfying(OutpostException.class, e -> assertCode(e, ContainerErrorCode.IMAGE_NOT_FOUND));
        String taken = name("taken");
        engine.create(ContainerSpec.of(taken, TEST_IMAGE, "{\"HostConfig\":{\"NetworkMode\":\"none\"}}", OWNER));
        assertThatThrownBy(() -> engine.create(ContainerSpec.of(taken, TEST_IMAGE, "{}", OWNER)))
                .isInstanceOfSatisfying(OutpostException.class, e -> assertCode(e, ContainerErrorCode.CONTAINER_CONFLICT));
        assertThatThrownBy(() -> engine.start(name("never-created")))
                .isInstanceOfSatisfying(OutpostException.class, e -> assertCode(e, ContainerErrorCode.CONTAINER_NOT_FOUND));
    }

    @Test
    void givenImages_whenAskedOrPulledFromNowhere_thenPresenceAndRetryablePullFailure() {
        assertThat(engine.imagePresent(TEST_IMAGE)).isTrue();
        assertThat(engine.imagePresent("outpost-it/absent:0")).isFalse();
        assertThatThrownBy(() -> engine.pull("127.0.0.1:1/outpost-it/absent:0", java.util.Optional.empty()))
                .isInstanceOfSatisfying(OutpostException.class, e -> {
                    assertThat(e.errorCode()).isEqualTo(ContainerErrorCode.IMAGE_PULL_FAILED);
                    assertThat(e.retryable()).isTrue();
                });
    }

    @Test
    void givenNoEngineAtTheAddress_whenCalled_thenEngineUnavailableAndRetryable() {
        try (DockerContainerEngine absent = new DockerContainerEngine(
                EngineSettings.defaults(java.net.URI.create("unix:///tmp/outpost-it-no-such-engine.sock")))) {
            assertThatThrownBy(absent::listManaged).isInstanceOfSatisfying(OutpostException.class, e -> {
                assertThat(e.errorCode()).isEqualTo(ContainerErrorCode.ENGINE_UNAVAILABLE);
                assertThat(e.retryable()).isTrue();
                assertThat(e.getMessage()).contains("outpost-it-no-such-engine.sock");
            });
        }
    }

    private static void assertCode(OutpostException e, ContainerErrorCode code) {
        assertThat(e.errorCode()).as(e.getMessage()).isEqualTo(code);
        assertThat(e.retryable()).isFalse();
    }

    private static List<LogLine> readLog(String name, LogOptions options, java.util.function.Predicate<List<LogLine>> enough) {
        return await().atMost(Duration.ofSeconds(20)).until(() -> {
            List<LogLine> lines = new CopyOnWriteArrayList<>();
            AtomicBoolean complete = new AtomicBoolean();
            engine.logs(name, options, new StreamListener<>() {
                @Override
                public void onNext(LogLine item) {
                    lines.add(item);
                }

                @Override
                public void onComplete() {
                    complete.set(true);
                }
            });
            await().atMost(Duration.ofSeconds(10)).untilTrue(complete);
            return lines;
        }, enough);
    }
}

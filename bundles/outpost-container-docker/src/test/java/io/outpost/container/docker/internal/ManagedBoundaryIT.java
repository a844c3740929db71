package io.outpost.container.docker.internal;

import static io.outpost.container.docker.internal.DockerItSupport.TEST_IMAGE;
import static io.outpost.container.docker.internal.DockerItSupport.name;
import static io.outpost.testing.DockerCli.docker;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.outpost.common.OutpostException;
import io.outpost.container.ContainerErrorCode;
import io.outpost.container.ContainerEvent;
import io.outpost.container.ContainerOwner;
import io.outpost.container.ContainerSpec;
import io.outpost.container.LogOptions;
import io.outpost.container.Subscription;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import org.assertj.core.api.ThrowableAssert.ThrowingCallable;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Containers Outpost did not create are invisible and untouchable; engine events about Outpost's own arrive. */
class ManagedBoundaryIT {

    private static final ContainerOwner OWNER = new ContainerOwner("it-device", "it-events", "1");
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

    @Test
    void givenContainerStartedWithPlainDockerRun_whenOutpostListsOrTouchesIt_thenItIsNeitherListedNorChanged() {
        String name = name("unmanaged");
        assertThat(docker("run", "-d", "--network", "none", "--name", name, "--label", "io.outpost.module=fake",
                TEST_IMAGE, "sleep", "300").exitCode()).isZero();

        assertThat(engine.listManaged()).noneSatisfy(s -> assertThat(s.name()).isEqualTo(name));
        for (ThrowingCallable call : List.<ThrowingCallable>of(() -> engine.stop(name, Duration.ofSeconds(1)),
                () -> engine.remove(name), () -> engine.start(name), () -> engine.inspect(name),
                () -> engine.logs(name, LogOptions.ALL, line -> { }))) {
            assertThatThrownBy(call).isInstanceOfSatisfying(OutpostException.class, e -> {
                assertThat(e.errorCode()).isEqualTo(ContainerErrorCode.NOT_MANAGED);
                assertThat(e.retryable()).isFalse();
            });
        }

        assertThat(docker("inspect", "--format", "{{.State.Status}}", name).output().trim()).isEqualTo("running");
    }

    @Test
    void givenEventSubscription_whenManagedContainerStartsAndDies_thenStartAndDieArriveButNothingUnmanaged() {
        List<ContainerEvent> events = new CopyOnWriteArrayList<>();
        String managed = name("events-managed");
        String unmanaged = name("events-unmanaged");

        try (Subscription ignored = engine.events(Optional.of(Instant.now().minusSeconds(1)), events::add)) {
            String id = engine.create(ContainerSpec.of(managed, TEST_IMAGE,
                    "{\"Cmd\":[\"sh\",\"-c\",\"sleep 0.3; exit 2\"],\"HostConfig\":{\"NetworkMode\":\"none\"}}", OWNER));
            engine.start(managed);
            docker("run", "--network", "none", "--name", unmanaged, TEST_IMAGE, "true");

            await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> assertThat(events)
                    .filteredOn(e -> e.containerId().equals(id)).extracting(ContainerEvent::action)
                    .contains("create", "start", "die"));
            ContainerEvent die = events.stream().filter(e -> e.containerId().equals(id) && e.action().equals("die"))
                    .findFirst().orElseThrow();
            assertThat(die.exitCode()).hasValue(2);
            assertThat(die.containerName()).isEqualTo(managed);
            assertThat(die.module()).isEqualTo("it-events");
            assertThat(die.time()).isAfter(Instant.now().minusSeconds(60));
        }

        await().atMost(Duration.ofSeconds(5)).until(() -> docker("inspect", "--format", "{{.State.Status}}", unmanaged)
                .output().trim().equals("exited"));
        assertThat(events).noneSatisfy(e -> assertThat(e.containerName()).isEqualTo(unmanaged));
    }
}

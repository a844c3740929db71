package io.outpost.container.docker.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.github.dockerjava.api.exception.ConflictException;
import com.github.dockerjava.api.exception.InternalServerErrorException;
import com.github.dockerjava.api.exception.NotFoundException;
import io.outpost.common.OutpostException;
import io.outpost.container.ContainerErrorCode;
import java.io.IOException;
import java.net.ConnectException;
import java.net.URI;
import java.time.Instant;
import org.junit.jupiter.api.Test;

class DockerSupportTest {

    private final DockerErrors errors = new DockerErrors(URI.create("unix:///var/run/docker.sock"));

    @Test
    void givenImageReferences_whenParsed_thenRepositoryAndTagAreSplit() {
        assertThat(ImageReference.parse("busybox")).isEqualTo(new ImageReference("busybox", "latest"));
        assertThat(ImageReference.parse("outpost/base-busybox:1")).isEqualTo(new ImageReference("outpost/base-busybox", "1"));
        assertThat(ImageReference.parse("127.0.0.1:5000/team/app")).isEqualTo(new ImageReference("127.0.0.1:5000/team/app", "latest"));
        assertThat(ImageReference.parse("127.0.0.1:5000/app:2")).isEqualTo(new ImageReference("127.0.0.1:5000/app", "2"));
        assertThat(ImageReference.parse("app@sha256:abc")).isEqualTo(new ImageReference("app", "sha256:abc"));
    }

    @Test
    void givenSocketFailure_whenTranslated_thenEngineUnavailableAndRetryable() {
        OutpostException e = errors.translate("start container", "x", new RuntimeException(new ConnectException("refused")),
                ContainerErrorCode.CONTAINER_NOT_FOUND);

        assertThat(e.errorCode()).isEqualTo(ContainerErrorCode.ENGINE_UNAVAILABLE);
        assertThat(e.retryable()).isTrue();
        assertThat(e.getMessage()).contains("unix:///var/run/docker.sock").contains("ConnectException");
        assertThat(e.getCause()).isInstanceOf(RuntimeException.class);
    }

    @Test
    void givenEngineStatuses_whenTranslated_thenCodesFollowTheStatus() {
        assertThat(errors.translate("inspect", "x", new NotFoundException("{\"message\":\"No such container: x\"}"),
                ContainerErrorCode.CONTAINER_NOT_FOUND))
                .satisfies(e -> assertThat(e.errorCode()).isEqualTo(ContainerErrorCode.CONTAINER_NOT_FOUND))
                .hasMessage("inspect x failed: No such container: x");
        assertThat(errors.translate("create", "x", new ConflictException("in use"), ContainerErrorCode.IMAGE_NOT_FOUND)
                .errorCode()).isEqualTo(ContainerErrorCode.CONTAINER_CONFLICT);
        assertThat(errors.translate("start", "x", new InternalServerErrorException("boom"), ContainerErrorCode.IMAGE_NOT_FOUND)
                .retryable()).isTrue();
        assertThat(errors.fromStatus("create container x", 400, "{\"message\":\"invalid mount\"}",
                ContainerErrorCode.IMAGE_NOT_FOUND))
                .satisfies(e -> assertThat(e.errorCode()).isEqualTo(ContainerErrorCode.INVALID_CREATE_OPTIONS))
                .hasMessageContaining("invalid mount");
    }

    @Test
    void givenPullMessages_whenClassified_thenAuthAndNotFoundAreNotRetried() {
        OutpostException unauthorized = ImagePuller.classify("img", new OutpostException(ContainerErrorCode.ENGINE_ERROR,
                "pull image img failed: Get \"http://127.0.0.1:5000/v2/\": no basic auth credentials"));
        OutpostException missing = ImagePuller.classify("img", new OutpostException(ContainerErrorCode.ENGINE_ERROR,
                "pull image img failed: manifest unknown"));
        OutpostException network = ImagePuller.classify("img", new OutpostException(ContainerErrorCode.ENGINE_ERROR,
                "pull image img failed: dial tcp 127.0.0.1:5999: connect: connection refused"));

        assertThat(unauthorized.errorCode()).isEqualTo(ContainerErrorCode.REGISTRY_UNAUTHORIZED);
        assertThat(unauthorized.retryable()).isFalse();
        assertThat(missing.errorCode()).isEqualTo(ContainerErrorCode.IMAGE_NOT_FOUND);
        assertThat(network.errorCode()).isEqualTo(ContainerErrorCode.IMAGE_PULL_FAILED);
        assertThat(network.retryable()).isTrue();
    }

    @Test
    void givenEngineTimes_whenParsed_thenZeroTimeIsEmpty() {
        assertThat(DockerModels.parseTime("0001-01-01T00:00:00Z")).isEmpty();
        assertThat(DockerModels.parseTime("2024-05-01T10:11:12.123456789Z"))
                .hasValue(Instant.parse("2024-05-01T10:11:12.123456789Z"));
        assertThat(DockerModels.parseTime(null)).isEmpty();
    }

    @Test
    void givenBadSettings_whenValidated_thenThePropertyIsNamed() {
        assertThatThrownBy(() -> new EngineSettings(URI.create("http://x"), "", java.time.Duration.ofSeconds(1),
                java.time.Duration.ofSeconds(1), java.time.Duration.ofSeconds(1), ""))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("dockerHost");
        assertThatThrownBy(() -> new EngineSettings(URI.create("unix:///x"), "v2", java.time.Duration.ofSeconds(1),
                java.time.Duration.ofSeconds(1), java.time.Duration.ofSeconds(1), ""))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("apiVersion");
    }

    @Test
    void givenAnswerThatDockerJavaCannotRead_whenTranslated_thenEngineErrorNotUnavailable() {
        // What inspect met for a container created with CapAdd ["sys_time"]: the engine answered.
        Exception unreadable = org.junit.jupiter.api.Assertions.assertThrows(IOException.class, () -> new ObjectMapper()
                .readValue("\"sys_time\"", com.github.dockerjava.api.model.Capability.class));

        OutpostException e = errors.translate("inspect", "x", new RuntimeException(unreadable),
                ContainerErrorCode.CONTAINER_NOT_FOUND);

        assertThat(e.errorCode()).isEqualTo(ContainerErrorCode.ENGINE_ERROR);
        assertThat(e.getMessage()).startsWith("inspect x failed: the engine's answer could not be read (")
                .contains("sys_time");
    }

    @Test
    void givenClosedSocketWhileReading_whenTranslated_thenUnavailable() {
        assertThat(errors.translate("list", "x", new RuntimeException(new IOException("Broken pipe")),
                ContainerErrorCode.ENGINE_ERROR).errorCode()).isEqualTo(ContainerErrorCode.ENGINE_UNAVAILABLE);
    }
}

package io.outpost.container.docker.internal;

import com.github.dockerjava.api.DockerClient;
import com.github.dockerjava.api.command.PullImageCmd;
import com.github.dockerjava.api.model.AuthConfig;
import com.github.dockerjava.api.model.PullResponseItem;
import io.outpost.common.OutpostException;
import io.outpost.container.ContainerErrorCode;
import io.outpost.container.RegistryCredentials;
import io.outpost.container.StreamListener;
import java.time.Duration;
import java.util.Locale;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicReference;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Pulls one image and waits for the end of the engine's progress stream. The engine reports some failures
 * as an HTTP status and others as an error item inside a successful stream; both are classified from the
 * engine's message into not-found, unauthorized, or (retryable) pull-failed.
 */
final class ImagePuller {

    private static final Logger LOG = LoggerFactory.getLogger(ImagePuller.class);

    private final DockerClient client;
    private final DockerErrors errors;
    private final Duration timeout;

    ImagePuller(DockerClient client, DockerErrors errors, Duration timeout) {
        this.client = client;
        this.errors = errors;
        this.timeout = timeout;
    }

    void pull(String image, Optional<RegistryCredentials> credentials) {
        ImageReference ref;
        try {
            ref = ImageReference.parse(image);
        } catch (IllegalArgumentException e) {
            throw new OutpostException(ContainerErrorCode.IMAGE_NOT_FOUND, "pull image '" + image + "': " + e.getMessage(), e);
        }
        AtomicReference<String> streamError = new AtomicReference<>();
        StreamCallback<PullResponseItem, PullResponseItem> callback = new StreamCallback<>(item -> {
            if (item.isErrorIndicated()) {
                streamError.compareAndSet(null, errorText(item));
            }
            return null;
        }, StreamListener.ignoring(), failure -> classify(image, errors.translate("pull image", image, failure,
                ContainerErrorCode.IMAGE_NOT_FOUND)));
        long started = System.nanoTime();
        BundleContext.call(() -> command(ref, credentials).exec(callback));
        awaitEnd(image, callback);
        if (streamError.get() != null) {
            throw classify(image, new OutpostException(ContainerErrorCode.IMAGE_PULL_FAILED,
                    "pull image " + image + " failed: " + streamError.get()));
        }
        LOG.info("image-pulled image={} registry={} millis={}", image,
                credentials.map(RegistryCredentials::address).orElse("-"), (System.nanoTime() - started) / 1_000_000);
    }

    private PullImageCmd command(ImageReference ref, Optional<RegistryCredentials> credentials) {
        PullImageCmd cmd = client.pullImageCmd(ref.repository()).withTag(ref.tag());
        credentials.ifPresent(c -> cmd.withAuthConfig(new AuthConfig()
                .withRegistryAddress(c.address())
                .withUsername(c.username())
                .withPassword(c.password())));
        return cmd;
    }

    private void awaitEnd(String image, StreamCallback<?, ?> callback) {
        try {
            if (!callback.await(timeout)) {
                callback.close();
                throw new OutpostException(ContainerErrorCode.TIMEOUT,
                        "pull image " + image + " did not finish within " + timeout.toSeconds() + " s");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            callback.close();
            throw new OutpostException(ContainerErrorCode.IMAGE_PULL_FAILED, "pull image " + image + " was interrupted", e);
        }
    }

    /** Re-reads a generic failure's message to tell a missing image or refused credentials from the rest. */
    static OutpostException classify(String image, OutpostException failure) {
        ContainerErrorCode code = failure.errorCode() instanceof ContainerErrorCode c ? c : ContainerErrorCode.ENGINE_ERROR;
        if (code != ContainerErrorCode.ENGINE_ERROR && code != ContainerErrorCode.IMAGE_PULL_FAILED) {
            return failure;
        }
        String message = String.valueOf(failure.getMessage()).toLowerCase(Locale.ROOT);
        ContainerErrorCode classified;
        if (message.contains("unauthorized") || message.contains("authentication required")
                || message.contains("no basic auth credentials") || message.contains("denied")) {
            classified = ContainerErrorCode.REGISTRY_UNAUTHORIZED;
        } else if (message.contains("manifest unknown") || message.contains("not found")
                || message.contains("does not exist")) {
            classified = ContainerErrorCode.IMAGE_NOT_FOUND;
        } else {
            classified = ContainerErrorCode.IMAGE_PULL_FAILED;
        }
        return new OutpostException(classified, failure.getMessage(), failure.getCause() == null ? failure : failure.getCause());
    }

    private static String errorText(PullResponseItem item) {
        if (item.getErrorDetail() != null && item.getErrorDetail().getMessage() != null) {
            return item.getErrorDetail().getMessage();
        }
        return item.getError() != null ? item.getError() : String.valueOf(item.getStatus());
    }
}

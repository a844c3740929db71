package io.outpost.container;

import io.outpost.common.ErrorCode;

/** Error codes of the container area. */
public enum ContainerErrorCode implements ErrorCode {
    /** No engine answers on the configured socket or address; retried. */
    ENGINE_UNAVAILABLE("container-engine-unavailable", true),
    /** The engine answered with an unexpected server error; retried. */
    ENGINE_ERROR("container-engine-error", true),
    /** The image is not present locally and cannot be found in its registry. */
    IMAGE_NOT_FOUND("container-image-not-found", false),
    /** The registry refused the credentials (or wanted some). */
    REGISTRY_UNAUTHORIZED("container-registry-unauthorized", false),
    /** A pull failed for another reason (registry unreachable, interrupted download); retried. */
    IMAGE_PULL_FAILED("container-image-pull-failed", true),
    /** The createOptions are not valid JSON of the right shape, or the engine rejected them. */
    INVALID_CREATE_OPTIONS("container-invalid-create-options", false),
    /** No container has the given name or id. */
    CONTAINER_NOT_FOUND("container-not-found", false),
    /** A container of that name exists already, or the container is in a state that forbids the call. */
    CONTAINER_CONFLICT("container-conflict", false),
    /** The container exists but is not managed by Outpost, so it is left alone. */
    NOT_MANAGED("container-not-managed", false),
    /** The engine did not finish the call in time; retried. */
    TIMEOUT("container-timeout", true);

    private final String code;
    private final boolean retryable;

    ContainerErrorCode(String code, boolean retryable) {
        this.code = code;
        this.retryable = retryable;
    }

    @Override
    public String code() {
        return code;
    }

    @Override
    public boolean retryableByDefault() {
        return retryable;
    }
}

package io.outpost.deployment;

import io.outpost.common.ErrorCode;

/** Error codes of the deployment area. */
public enum DeploymentErrorCode implements ErrorCode {
    /** A command named a module that the running deployment does not have. */
    UNKNOWN_MODULE("deployment-unknown-module", false),
    /** A module's image could not be pulled. */
    PULL_FAILED("deployment-pull-failed", true),
    /** A module's container could not be created or started. */
    MODULE_FAILED("deployment-module-failed", true),
    /** The desired state could not be stored on disk. */
    STORAGE_FAILED("deployment-storage-failed", true);

    private final String code;
    private final boolean retryable;

    DeploymentErrorCode(String code, boolean retryable) {
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

package io.outpost.manifest;

import io.outpost.common.ErrorCode;

/**
 * Why a manifest was refused. Each code carries the status code that Azure IoT Edge reports in
 * {@code lastDesiredStatus.code} for the same failure, so that reported state stays compatible.
 */
public enum ManifestErrorCode implements ErrorCode {
    /** The manifest is not valid JSON or breaks a rule of the schema. */
    INVALID("manifest-invalid", 400),
    /** The manifest is larger than the configured limit. */
    TOO_LARGE("manifest-too-large", 400),
    /** {@code $edgeAgent} or {@code $edgeHub} declares a schema version this runtime does not support. */
    UNSUPPORTED_SCHEMA("manifest-unsupported-schema", 412),
    /** The manifest has no content at all. */
    EMPTY("manifest-empty", 417);

    private final String code;
    private final int azureStatus;

    ManifestErrorCode(String code, int azureStatus) {
        this.code = code;
        this.azureStatus = azureStatus;
    }

    @Override
    public String code() {
        return code;
    }

    /** The {@code lastDesiredStatus.code} Azure IoT Edge reports for this failure. */
    public int azureStatus() {
        return azureStatus;
    }
}

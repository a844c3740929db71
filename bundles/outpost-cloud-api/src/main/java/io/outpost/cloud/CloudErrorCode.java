package io.outpost.cloud;

import io.outpost.common.ErrorCode;

/**
 * Why a cloud operation failed. Each code carries the HTTP status that IoT Hub's service API answers for the
 * same failure, so that the REST layer maps codes without a table of its own.
 */
public enum CloudErrorCode implements ErrorCode {
    /** An id, a JSON document or a setting is not acceptable. */
    INVALID_ARGUMENT("cloud-invalid-argument", 400, false),
    /** No device, module, twin or deployment with that id. */
    NOT_FOUND("cloud-not-found", 404, false),
    /** A device, module or deployment with that id already exists. */
    ALREADY_EXISTS("cloud-already-exists", 409, false),
    /** An ETag / version given with a change does not match the stored version. */
    VERSION_MISMATCH("cloud-version-mismatch", 412, false),
    /**
     * A twin change would make its desired or reported properties larger than 32 KiB or nested deeper than 10
     * levels (IoT Hub's limits); the twin is left unchanged. The device endpoint answers it with status 413.
     */
    TWIN_TOO_LARGE("cloud-twin-too-large", 400, false),
    /** A target condition does not parse. */
    CONDITION_SYNTAX("cloud-condition-syntax", 400, false),
    /** A deployment's content is not a valid deployment manifest. */
    DEPLOYMENT_INVALID("cloud-deployment-invalid", 400, false),
    /**
     * A device's cloud-to-device queue holds its most messages already (IoT Hub answers 403
     * DeviceMaximumQueueDepthExceeded).
     */
    QUEUE_FULL("cloud-queue-full", 403, false),
    /** The database did not answer or refused the operation for a reason that may pass. */
    STORE_UNAVAILABLE("cloud-store-unavailable", 503, true);

    private final String code;
    private final int httpStatus;
    private final boolean retryable;

    CloudErrorCode(String code, int httpStatus, boolean retryable) {
        this.code = code;
        this.httpStatus = httpStatus;
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

    /** The HTTP status a REST API answers for this failure. */
    public int httpStatus() {
        return httpStatus;
    }
}

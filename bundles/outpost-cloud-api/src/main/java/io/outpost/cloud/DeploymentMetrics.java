package io.outpost.cloud;

/**
 * IoT Hub's four system metrics of a deployment.
 *
 * @param targetedCount devices whose twin matches the target condition
 * @param appliedCount targeted devices to which this deployment is applied (as their base, or as a layer)
 * @param reportedSuccessfulCount applied devices that report the applied configuration running as desired
 * @param reportedFailedCount applied devices that report an error for the applied configuration
 */
public record DeploymentMetrics(int targetedCount, int appliedCount, int reportedSuccessfulCount,
        int reportedFailedCount) {
}

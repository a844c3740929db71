package io.outpost.cloud;

import java.util.List;
import java.util.Optional;

/**
 * Fleet deployments: which configuration each device gets, writing it into the device's {@code $edgeAgent},
 * {@code $edgeHub} and module twins, and how the fleet reports on it.
 */
public interface FleetDeploymentService {

    /**
     * Creates a deployment after checking its target condition and content, then applies the fleet.
     *
     * @throws io.outpost.common.OutpostException {@link CloudErrorCode#CONDITION_SYNTAX} (the message names the
     *     column), {@link CloudErrorCode#DEPLOYMENT_INVALID} (the message lists the manifest errors, one per
     *     line), {@link CloudErrorCode#ALREADY_EXISTS}
     */
    FleetDeployment create(FleetDeployment deployment);

    Optional<FleetDeployment> get(String id);

    /** Every deployment, by id. */
    List<FleetDeployment> list();

    /** Deletes a deployment, then applies the fleet again; false when there was none. */
    boolean delete(String id);

    /** Checks a target condition without storing anything; throws as {@link #create} does. */
    void checkCondition(String targetCondition);

    /** What a device gets from the current deployments and its twin. */
    AppliedConfiguration configurationFor(String deviceId);

    /**
     * Writes each device's configuration into its {@code $edgeAgent}, {@code $edgeHub} and module twins where
     * it differs from what they hold (creating the module twins it needs) and returns how many devices changed.
     */
    int applyAll();

    /** The four counts of a deployment. */
    DeploymentMetrics metrics(String id);

    /** The status of every device the deployment targets, by device id. */
    List<DeviceDeploymentStatus> deviceStatuses(String id);
}

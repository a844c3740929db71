/**
 * Deployments as the rest of Outpost sees them: {@link io.outpost.deployment.DeploymentService} accepts a
 * desired state (an Azure IoT Edge deployment manifest with a version), reconciles the device towards it and
 * reports {@link io.outpost.deployment.DeploymentStatus} and per-module
 * {@link io.outpost.deployment.ModuleStatus} in edgeAgent's vocabulary.
 */
@Export
@Version("1.1.0")
package io.outpost.deployment;

import org.osgi.annotation.bundle.Export;
import org.osgi.annotation.versioning.Version;

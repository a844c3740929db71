/**
 * Outpost Cloud's domain: the {@link io.outpost.cloud.DeviceRegistry} of devices and their modules, device
 * and module {@link io.outpost.cloud.Twin}s with versions and change history, {@link io.outpost.cloud.FleetDeployment}s
 * chosen per device by target condition and priority, and device-to-cloud telemetry with retention limits.
 * JSON documents (tags, desired and reported properties, {@code modulesContent}) travel as JSON text, so that
 * no JSON library's types appear here. {@link io.outpost.cloud.CloudMessaging} reaches connected devices and
 * modules with direct methods and cloud-to-device messages, which wait in the durable per-device
 * {@link io.outpost.cloud.CloudToDeviceQueue}. Plain Java, no OSGi or third-party types.
 */
@Export
@Version("1.4.0")
package io.outpost.cloud;

import org.osgi.annotation.bundle.Export;
import org.osgi.annotation.versioning.Version;

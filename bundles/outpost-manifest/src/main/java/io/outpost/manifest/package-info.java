/**
 * Azure IoT Edge deployment manifests: {@link io.outpost.manifest.ManifestParser} turns JSON text into a
 * validated {@link io.outpost.manifest.DeploymentManifest}, or into the list of
 * {@link io.outpost.manifest.Problem}s that prevent it, each naming the JSON Pointer of the offending field.
 * {@link io.outpost.manifest.HostAccess} finds the createOptions settings that reach into the host.
 * Plain Java with no OSGi or JSON-library types, so that the agent, the shell and the CLI share it.
 */
@Export
@Version("1.1.0")
package io.outpost.manifest;

import org.osgi.annotation.bundle.Export;
import org.osgi.annotation.versioning.Version;

/**
 * The container engine port: what Outpost asks of a container engine (images, containers, logs, events)
 * in Outpost's own types. No engine client type appears here; the Docker implementation lives in the
 * {@code io.outpost.container.docker} bundle and registers a {@link io.outpost.container.ContainerEngine}
 * service.
 */
@Export
@Version("1.1.0")
package io.outpost.container;

import org.osgi.annotation.bundle.Export;
import org.osgi.annotation.versioning.Version;

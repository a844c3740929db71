/**
 * Building blocks shared by every Outpost bundle: an injectable {@link io.outpost.common.Clock}, the
 * {@link io.outpost.common.Backoff} calculator, the one unchecked {@link io.outpost.common.OutpostException} and
 * the {@link io.outpost.common.RateLimitedLog} that keeps refusal logs short.
 * Plain Java with no third-party types, so that the CLI and unit tests use it without OSGi.
 */
@Export
@Version("2.0.0")
package io.outpost.common;

import org.osgi.annotation.bundle.Export;
import org.osgi.annotation.versioning.Version;

/**
 * Outpost Cloud's operator interfaces: {@link io.outpost.cloud.web.ApiTokens} (who may use the REST API and
 * with which {@link io.outpost.cloud.web.TokenScope}), and {@link io.outpost.cloud.web.CloudJson}, the JSON
 * forms that the REST API, the dashboard and the {@code cloud:*} shell commands share. No third-party types.
 */
@Export
@Version("1.1.0")
package io.outpost.cloud.web;

import org.osgi.annotation.bundle.Export;
import org.osgi.annotation.versioning.Version;

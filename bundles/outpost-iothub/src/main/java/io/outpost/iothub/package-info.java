/**
 * Azure IoT Hub's MQTT dialect as a server of its own: {@link io.outpost.iothub.DialectServer} speaks MQTT 3.1.1
 * and 5 over TLS (and optionally plain text on 127.0.0.1) with IoT Hub's topics, per-connection twin and method
 * topics and PUBACK-based delivery, and asks its host, a {@link io.outpost.iothub.DialectHost}, for everything
 * that is not protocol: who a client is, where telemetry goes, what a twin holds. The edge hub is one host, the
 * cloud's device endpoint another. {@link io.outpost.iothub.IotHubProperties} is IoT Hub's message codec (system
 * property names, property bag) for every side. Certificate checks are {@code io.outpost.pki}'s and the
 * authentication rules {@code io.outpost.iothub.auth}'s. Plain Java values; no Netty type appears in this package.
 */
@Export
@Version("2.0.0")
package io.outpost.iothub;

import org.osgi.annotation.bundle.Export;
import org.osgi.annotation.versioning.Version;

/**
 * One set of authentication rules for IoT Hub's MQTT dialect, shared by the edge's hub and the cloud's device
 * endpoint so that they cannot drift: {@link io.outpost.iothub.auth.AuthenticatorCore} decides who a connecting
 * client is from its {@link io.outpost.iothub.ConnectRequest}, the credentials a
 * {@link io.outpost.iothub.auth.CredentialSource} holds and the side's {@link io.outpost.iothub.auth.AuthPolicy}.
 * A refusal carries a stable code ({@link io.outpost.iothub.auth.Refusals}). Pure: no I/O but the source's.
 */
@Export
@Version("1.0.0")
package io.outpost.iothub.auth;

import org.osgi.annotation.bundle.Export;
import org.osgi.annotation.versioning.Version;

package io.outpost.cloud.endpoint.internal;

import io.outpost.cloud.DeviceRegistry;
import io.outpost.iothub.Authenticated;
import io.outpost.iothub.ConnectRequest;
import io.outpost.iothub.auth.Accepted;
import io.outpost.iothub.auth.AuthPolicy;
import io.outpost.iothub.auth.AuthenticatorCore;
import io.outpost.iothub.auth.Decision;
import io.outpost.iothub.auth.Refusal;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;

/**
 * Decides who a connecting client is, against the device registry, by IoT Hub's rules as the edge has them
 * ({@link AuthenticatorCore} over {@link RegistryCredentials}) with the cloud's policy ({@link AuthPolicy#cloud}):
 * {@code hubHostName} fixes the host of token resources (empty: the user name's hub), a device's keys or
 * certificate (CN the device id) also open its modules, also modules not registered yet, an enabled parent's open
 * its child devices, and a token may expire at most {@code maxTokenLifetimeSecs} ahead.
 */
final class Authenticator {

    /** Token lifetime allowed when none is configured: a year, longer than the IoT Hub SDKs' tokens. */
    static final Duration DEFAULT_MAX_TOKEN_LIFETIME = Duration.ofDays(365);

    /** Why a client was refused, with the refusal's stable code; for the log, never sent to the client. */
    static final class Refused extends Exception {
        private static final long serialVersionUID = 1L;
        private final String code;

        Refused(String code, String detail) {
            super(detail, null, false, false);
            this.code = code;
        }

        String code() {
            return code;
        }
    }

    private final AuthenticatorCore core;

    Authenticator(DeviceRegistry registry, String hubHostName) {
        this(registry, hubHostName, DEFAULT_MAX_TOKEN_LIFETIME);
    }

    Authenticator(DeviceRegistry registry, String hubHostName, Duration maxTokenLifetime) {
        this.core = new AuthenticatorCore(AuthPolicy.cloud(Optional.of(hubHostName), maxTokenLifetime),
                new RegistryCredentials(registry));
    }

    /** The core, for tests of the rules both sides share. */
    AuthenticatorCore core() {
        return core;
    }

    /** The identity the request proves, or {@link Refused} with the reason. Reads the registry: not on a network thread. */
    Authenticated authenticate(ConnectRequest request, Instant now) throws Refused {
        Decision decision = core.authenticate(request, now);
        if (decision instanceof Refusal r) {
            throw new Refused(r.code(), r.detail());
        }
        return ((Accepted) decision).authenticated();
    }
}

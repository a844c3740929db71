package io.outpost.iothub.auth;

import io.outpost.iothub.Authenticated;
import java.util.Objects;

/**
 * A client let in.
 *
 * @param authenticated who it is and when its credential expires
 * @param method        how it proved it: {@code sas}, {@code x509_thumbprint} or {@code x509_ca}, for the log
 */
public record Accepted(Authenticated authenticated, String method) implements Decision {

    public Accepted {
        Objects.requireNonNull(authenticated, "authenticated");
        Objects.requireNonNull(method, "method");
    }
}

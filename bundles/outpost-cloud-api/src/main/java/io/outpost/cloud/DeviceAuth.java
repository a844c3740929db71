package io.outpost.cloud;

import java.util.Objects;

/**
 * How a device or module authenticates: a pair of symmetric keys (base64) that sign SAS tokens, or the SHA-1
 * or SHA-256 thumbprints (hex) of its X.509 certificates. Two of each, so that one can be rolled while the
 * other is in use.
 */
public sealed interface DeviceAuth {

    /** The name stored and shown: {@code sas} or {@code x509}. */
    String type();

    String primary();

    String secondary();

    /** Symmetric keys, base64 of at least 16 bytes. */
    record SymmetricKeys(String primary, String secondary) implements DeviceAuth {
        public SymmetricKeys {
            Objects.requireNonNull(primary, "primary");
            Objects.requireNonNull(secondary, "secondary");
        }

        @Override
        public String type() {
            return "sas";
        }

        @Override
        public String toString() {
            return "SymmetricKeys[hidden]";
        }
    }

    /** X.509 certificate thumbprints, upper-case hex without separators. */
    record X509Thumbprints(String primary, String secondary) implements DeviceAuth {
        public X509Thumbprints {
            primary = Objects.requireNonNull(primary, "primary").toUpperCase(java.util.Locale.ROOT);
            secondary = secondary == null ? "" : secondary.toUpperCase(java.util.Locale.ROOT);
        }

        @Override
        public String type() {
            return "x509";
        }
    }
}

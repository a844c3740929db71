package io.outpost.manifest;

import java.util.List;
import java.util.Objects;

/**
 * The {@code integrity} block of a signed manifest, kept as given. Outpost does not verify the signature.
 *
 * @param signerCert the lines of {@code header.signercert}
 * @param intermediateCaCert the lines of {@code header.intermediatecacert} (may be empty)
 * @param signatureBytes {@code signature.bytes}
 * @param algorithm {@code signature.algorithm}
 */
public record Integrity(List<String> signerCert, List<String> intermediateCaCert, String signatureBytes,
        String algorithm) {

    public Integrity {
        signerCert = List.copyOf(signerCert);
        intermediateCaCert = List.copyOf(intermediateCaCert);
        Objects.requireNonNull(signatureBytes, "signatureBytes");
        Objects.requireNonNull(algorithm, "algorithm");
    }
}

package io.outpost.iothub;

import java.security.cert.X509Certificate;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * What a client presents when it connects.
 *
 * @param clientId         the MQTT client id ({@code <device>} or {@code <device>/<module>} in IoT Hub's dialect)
 * @param username         the MQTT user name ({@code <hub>/<device>[/<module>]/?api-version=...}), if sent
 * @param password         the MQTT password as UTF-8 text (a SAS token), if sent; never log it
 * @param peerCertificates the client's TLS certificate chain, leaf first; empty without a client certificate.
 *                         The TLS layer checked only that the client holds the leaf's private key: whether the
 *                         chain is trusted is the host's decision ({@link io.outpost.pki.CertificateChecks})
 * @param remoteAddress    {@code ip:port} of the peer
 * @param tls              whether the connection is TLS
 * @param protocolLevel    4 for MQTT 3.1.1, 5 for MQTT 5
 */
public record ConnectRequest(String clientId, Optional<String> username, Optional<String> password,
        List<X509Certificate> peerCertificates, String remoteAddress, boolean tls, int protocolLevel) {

    public ConnectRequest {
        Objects.requireNonNull(clientId, "clientId");
        Objects.requireNonNull(username, "username");
        Objects.requireNonNull(password, "password");
        peerCertificates = List.copyOf(peerCertificates);
        Objects.requireNonNull(remoteAddress, "remoteAddress");
    }

    @Override
    public String toString() {
        return "ConnectRequest[clientId=" + clientId + ", username=" + username.orElse("") + ", certificates="
                + peerCertificates.size() + ", remote=" + remoteAddress + ", tls=" + tls + "]";
    }
}

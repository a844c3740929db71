package io.outpost.cloud.endpoint.internal;

import io.outpost.cloud.Device;
import io.outpost.cloud.DeviceAuth;
import io.outpost.cloud.DeviceRegistry;
import io.outpost.cloud.ModuleIdentity;
import io.outpost.common.OutpostException;
import io.outpost.iothub.Authenticated;
import io.outpost.iothub.ClientIdentity;
import io.outpost.iothub.ConnectRequest;
import io.outpost.pki.CertificateChecks;
import io.outpost.pki.SasToken;
import io.outpost.pki.Thumbprints;
import java.security.cert.X509Certificate;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Decides who a connecting client is, against the device registry. A device authenticates with a SAS token signed
 * by one of its keys or with a client certificate whose thumbprint the registry holds. A module authenticates with
 * its own keys or certificate, or with a token signed by its device's keys (IoT Hub lets a device's credentials
 * speak for its modules; an edge device's {@code $edgeAgent} and {@code $edgeHub} connect that way). A disabled
 * device and its modules are refused. A child device ({@link Device#parentId()}) also authenticates with a token
 * signed by its enabled parent's keys: the edge device connects upstream on behalf of the leaf devices in its scope,
 * as IoT Hub allows; a token signed by an edge's keys opens no device that is not its child. Client certificates
 * follow the same rule: a certificate whose CN is the device id and whose thumbprint the device holds also opens
 * the device's modules, and an enabled parent's certificate (CN the parent's id) opens its children; an edge that
 * authenticates with X.509 speaks for its modules and leaf devices that way. A registered thumbprint is SHA-1 or
 * SHA-256 and a certificate is valid on {@code [notBefore, notAfter]}: the PKI library's rules
 * ({@link Thumbprints#matches}, {@link CertificateChecks#validAt}), the same as the edge's.
 */
final class Authenticator {

    /** Why a client was refused; for the log, never sent to the client. */
    static final class Refused extends Exception {
        private static final long serialVersionUID = 1L;

        Refused(String reason) {
            super(reason, null, false, false);
        }
    }

    private final DeviceRegistry registry;
    private final String hubHostName;

    Authenticator(DeviceRegistry registry, String hubHostName) {
        this.registry = registry;
        this.hubHostName = hubHostName;
    }

    /** The identity the request proves, or {@link Refused} with the reason. Reads the registry: not on a network thread. */
    Authenticated authenticate(ConnectRequest request, Instant now) throws Refused {
        ClientIdentity identity;
        try {
            identity = ClientIdentity.parse(request.clientId());
        } catch (IllegalArgumentException e) {
            throw new Refused("client id is not <device> or <device>/<module>");
        }
        checkUsername(request, identity);
        Device device = registry.get(identity.deviceId()).orElseThrow(() -> new Refused("no such device"));
        if (!device.enabled()) {
            throw new Refused("device disabled");
        }
        Optional<ModuleIdentity> module = identity.moduleId().flatMap(m -> registry.getModule(device.id(), m));
        List<DeviceAuth> credentials = new ArrayList<>();
        module.ifPresent(m -> credentials.add(m.auth()));
        credentials.add(device.auth());
        if (!request.peerCertificates().isEmpty()) {
            X509Certificate leaf = request.peerCertificates().get(0);
            return byCertificate(leaf, identity, certificateOwner(leaf, identity, device, credentials), now);
        }
        String password = request.password().orElseThrow(() -> new Refused("no SAS token and no client certificate"));
        if (identity.moduleId().isEmpty() && device.parentId().isPresent()) {
            registry.get(device.parentId().get()).filter(Device::enabled).ifPresent(p -> credentials.add(p.auth()));
        }
        return byToken(password, identity, credentials, now);
    }

    private static void checkUsername(ConnectRequest request, ClientIdentity identity) throws Refused {
        String username = request.username().orElseThrow(() -> new Refused("no user name"));
        int slash = username.indexOf('/');
        String rest = slash < 0 ? "" : username.substring(slash + 1);
        if (!rest.equals(identity.name()) && !rest.startsWith(identity.name() + "/")) {
            throw new Refused("user name is not <hub>/" + identity.name() + "/?api-version=...");
        }
    }

    private Authenticated byToken(String password, ClientIdentity identity, List<DeviceAuth> credentials, Instant now)
            throws Refused {
        SasToken token;
        try {
            token = SasToken.parse(password);
        } catch (OutpostException e) {
            throw new Refused(e.getMessage());
        }
        String host = hubHostName.isEmpty() ? hostOf(token.resource()) : hubHostName;
        String resource = host + "/" + identity.topicPrefix();
        String last = "no symmetric key registered";
        for (DeviceAuth auth : credentials) {
            if (!(auth instanceof DeviceAuth.SymmetricKeys keys)) {
                continue;
            }
            for (String key : List.of(keys.primary(), keys.secondary())) {
                if (key.isEmpty()) {
                    continue;
                }
                try {
                    token.verify(resource, key, now);
                    return new Authenticated(identity, Optional.of(token.expiry()));
                } catch (OutpostException e) {
                    last = e.getMessage();
                }
            }
        }
        throw new Refused(last);
    }

    /**
     * The credentials a client certificate is checked against, by whose it says it is (its CN): the identity's own
     * (and its device's), the device's for one of its modules, or the enabled parent's for a child device.
     */
    private List<DeviceAuth> certificateOwner(X509Certificate leaf, ClientIdentity identity, Device device,
            List<DeviceAuth> own) throws Refused {
        String cn = CertificateChecks.commonName(leaf);
        if (cn.equals(identity.name())) {
            return own;
        }
        if (identity.isModule() && cn.equals(identity.deviceId())) {
            return List.of(device.auth());
        }
        if (!identity.isModule() && device.parentId().filter(cn::equals).isPresent()) {
            Optional<Device> parent = registry.get(cn).filter(Device::enabled);
            if (parent.isPresent()) {
                return List.of(parent.get().auth());
            }
        }
        throw new Refused("certificate subject CN is not " + identity.name()
                + (identity.isModule() ? " or " + identity.deviceId() : ""));
    }

    private static Authenticated byCertificate(X509Certificate leaf, ClientIdentity identity,
            List<DeviceAuth> credentials, Instant now) throws Refused {
        if (!CertificateChecks.validAt(leaf, now)) {
            throw new Refused("certificate not valid at " + now);
        }
        for (DeviceAuth auth : credentials) {
            if (auth instanceof DeviceAuth.X509Thumbprints t) {
                for (String thumbprint : List.of(t.primary(), t.secondary())) {
                    if (Thumbprints.matches(leaf, thumbprint)) {
                        return new Authenticated(identity, Optional.of(leaf.getNotAfter().toInstant()));
                    }
                }
            }
        }
        throw new Refused("certificate thumbprint not registered");
    }

    private static String hostOf(String resource) {
        int slash = resource.indexOf('/');
        return slash < 0 ? resource : resource.substring(0, slash);
    }
}

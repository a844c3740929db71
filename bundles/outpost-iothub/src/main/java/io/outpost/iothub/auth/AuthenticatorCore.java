package io.outpost.iothub.auth;

import io.outpost.common.OutpostException;
import io.outpost.iothub.Authenticated;
import io.outpost.iothub.ClientIdentity;
import io.outpost.iothub.ConnectRequest;
import io.outpost.pki.CertificateChecks;
import io.outpost.pki.PkiErrorCode;
import io.outpost.pki.SasToken;
import io.outpost.pki.Thumbprints;
import java.security.cert.X509Certificate;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * IoT Hub's authentication rules, the same on the edge and in the cloud. The user name must be
 * {@code <hub>/<device>[/<module>][/?...]}, name the client id and, when the policy pins the hub, that hub. The
 * identity must be registered (or, by policy, be a module of a registered device) and enabled. A password is a SAS
 * token and decides alone, even next to a client certificate: signed by a key the identity may use, for the
 * identity's resource on the policy's hub (or the user name's), not expired ({@code now < se}) and not expiring
 * more than the policy's lifetime ahead. Without a password the client certificate decides: valid at now
 * ({@code notBefore <= now <= notAfter}), then of a registered SHA-1 or SHA-256 thumbprint (any case), or issued
 * by a trusted CA with the device id as its CN and clientAuth usage. Credentials an identity may use are its own
 * and, by policy, its device's (for a module) and its enabled parent's (for a child device); a certificate opens an
 * identity by someone else's thumbprint only when its CN names that someone.
 */
public final class AuthenticatorCore {

    /** A credential an identity may use, and whose it is. */
    private record Grant(String owner, boolean delegated, Credential credential) {
    }

    /** The identity to authenticate and the credentials it may use. */
    private record Candidate(ClientIdentity identity, List<Grant> grants) {
    }

    private final AuthPolicy policy;
    private final CredentialSource source;

    public AuthenticatorCore(AuthPolicy policy, CredentialSource source) {
        this.policy = Objects.requireNonNull(policy, "policy");
        this.source = Objects.requireNonNull(source, "source");
    }

    public AuthPolicy policy() {
        return policy;
    }

    /** Who the request proves to be at {@code now}. Calls the credential source, which may block. */
    public Decision authenticate(ConnectRequest request, Instant now) {
        Optional<UserName> user = UserName.parse(request.username().orElse(null));
        if (user.isEmpty()) {
            return new Refusal(Refusals.USER_NAME_MALFORMED,
                    "the user name is not <hub>/<device>[/<module>]/?api-version=...");
        }
        if (policy.pinHub() && !policy.hubName().get().equalsIgnoreCase(user.get().hub())) {
            return new Refusal(Refusals.HUB_NAME_MISMATCH, "the user name names hub '" + user.get().hub()
                    + "', this hub is '" + policy.hubName().get() + "'");
        }
        if (!user.get().clientId().equals(request.clientId())) {
            return new Refusal(Refusals.CLIENT_ID_MISMATCH,
                    "the client id is not the identity the user name names (" + user.get().clientId() + ")");
        }
        Lookup found = lookUp(user.get().identity());
        if (found.refusal() != null) {
            return found.refusal();
        }
        if (request.password().isPresent()) {
            return byToken(request.password().get(), user.get().hub(), found.candidate(), now);
        }
        if (request.peerCertificates().isEmpty()) {
            return new Refusal(Refusals.NO_CREDENTIAL, "neither a SAS token nor a client certificate");
        }
        return byCertificate(request.peerCertificates(), found.candidate(), now);
    }

    /** The identity's registration and the credentials it may use, or why there are none. */
    private Lookup lookUp(ClientIdentity identity) {
        Optional<Principal> own = source.find(identity);
        boolean unknownModule = own.isEmpty() && identity.isModule() && policy.unknownModulesWithDeviceCredentials();
        boolean viaDevice = identity.isModule() && (policy.deviceSpeaksForModules() || unknownModule);
        Optional<Principal> device = viaDevice ? source.find(ClientIdentity.device(identity.deviceId()))
                : Optional.empty();
        if (own.isEmpty() && !(unknownModule && device.isPresent())) {
            return Lookup.refused(new Refusal(Refusals.IDENTITY_UNKNOWN, "no such device or module identity"));
        }
        if (!own.map(Principal::enabled).orElse(true) || !device.map(Principal::enabled).orElse(true)) {
            return Lookup.refused(new Refusal(Refusals.DEVICE_DISABLED, "the device is disabled"));
        }
        List<Grant> grants = new ArrayList<>();
        own.ifPresent(p -> p.own().forEach(c -> grants.add(new Grant(identity.name(), false, c))));
        device.ifPresent(p -> p.own().forEach(c -> grants.add(new Grant(identity.deviceId(), true, c))));
        Optional<String> parentId = own.flatMap(Principal::parentId);
        if (!identity.isModule() && policy.parentSpeaksForChildren() && parentId.isPresent()) {
            source.find(ClientIdentity.device(parentId.get())).filter(Principal::enabled).ifPresent(
                    p -> p.own().forEach(c -> grants.add(new Grant(parentId.get(), true, c))));
        }
        return new Lookup(new Candidate(identity, List.copyOf(grants)), null);
    }

    private Decision byToken(String password, String userNameHub, Candidate who, Instant now) {
        List<String> keys = who.grants().stream().map(Grant::credential)
                .filter(Credential.SymmetricKey.class::isInstance)
                .map(c -> ((Credential.SymmetricKey) c).base64()).toList();
        if (keys.isEmpty()) {
            return new Refusal(Refusals.AUTH_TYPE, "the identity does not authenticate with SAS tokens");
        }
        SasToken token;
        try {
            token = SasToken.parse(password);
        } catch (OutpostException e) {
            // the message may quote part of the token: the code says enough
            return new Refusal(Refusals.TOKEN_MALFORMED, "");
        }
        String resource = policy.hubName().orElse(userNameHub) + "/" + who.identity().topicPrefix();
        Refusal refusal = new Refusal(Refusals.TOKEN_SIGNATURE, "no key the identity may use signed the token");
        for (String key : keys) {
            try {
                token.verify(resource, key, now);
                return lifetimeChecked(token, who.identity(), now);
            } catch (OutpostException e) {
                if (e.errorCode() != PkiErrorCode.TOKEN_SIGNATURE) {
                    refusal = new Refusal(e.errorCode().code(), e.getMessage());
                }
            }
        }
        return refusal;
    }

    private Decision lifetimeChecked(SasToken token, ClientIdentity identity, Instant now) {
        if (token.expiry().isAfter(now.plus(policy.maxTokenLifetime()))) {
            return new Refusal(Refusals.TOKEN_LIFETIME, "the token expires at " + token.expiry() + ", more than "
                    + policy.maxTokenLifetime().toSeconds() + " s ahead");
        }
        return new Accepted(new Authenticated(identity, Optional.of(token.expiry())), "sas");
    }

    private Decision byCertificate(List<X509Certificate> chain, Candidate who, Instant now) {
        X509Certificate leaf = chain.get(0);
        if (!CertificateChecks.validAt(leaf, now)) {
            return new Refusal(Refusals.CERTIFICATE_EXPIRED, "the client certificate is not valid now");
        }
        String cn = CertificateChecks.commonName(leaf);
        boolean thumbprints = false;
        boolean caIssued = false;
        for (Grant grant : who.grants()) {
            if (grant.credential() instanceof Credential.Thumbprint t) {
                thumbprints = true;
                if ((!grant.delegated() || grant.owner().equals(cn)) && Thumbprints.matches(leaf, t.hex())) {
                    return accepted(who.identity(), leaf, "x509_thumbprint");
                }
            } else if (grant.credential() instanceof Credential.CaIssued && !grant.delegated()) {
                caIssued = true;
            }
        }
        if (caIssued) {
            return byCa(chain, who.identity(), now);
        }
        if (!thumbprints) {
            return new Refusal(Refusals.AUTH_TYPE, "the identity authenticates with SAS tokens, not certificates");
        }
        return new Refusal(Refusals.CERTIFICATE_THUMBPRINT, "neither the certificate's SHA-1 nor its SHA-256 "
                + "thumbprint is one the identity may use (another identity's only when the CN names it)");
    }

    private Decision byCa(List<X509Certificate> chain, ClientIdentity identity, Instant now) {
        X509Certificate leaf = chain.get(0);
        if (!CertificateChecks.commonName(leaf).equals(identity.deviceId())) {
            return new Refusal(Refusals.CERTIFICATE_SUBJECT, "the certificate's common name is not the device id");
        }
        if (!CertificateChecks.chainsTo(chain, policy.trustedCas().get(), now)) {
            return new Refusal(Refusals.CERTIFICATE_UNTRUSTED, "the certificate does not chain to a trusted CA");
        }
        Optional<String> usage = CertificateChecks.clientAuthRefusal(leaf);
        if (usage.isPresent()) {
            return new Refusal(Refusals.CERTIFICATE_USAGE, usage.get());
        }
        return accepted(identity, leaf, "x509_ca");
    }

    private static Accepted accepted(ClientIdentity identity, X509Certificate leaf, String method) {
        return new Accepted(new Authenticated(identity, Optional.of(leaf.getNotAfter().toInstant())), method);
    }

    /** A candidate, or the refusal that ends the look-up. */
    private record Lookup(Candidate candidate, Refusal refusal) {
        static Lookup refused(Refusal refusal) {
            return new Lookup(null, refusal);
        }
    }
}

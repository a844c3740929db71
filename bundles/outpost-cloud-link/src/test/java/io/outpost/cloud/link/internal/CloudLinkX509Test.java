package io.outpost.cloud.link.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.outpost.cloud.DeviceAuth;
import io.outpost.cloud.FleetDeployment;
import io.outpost.cloud.TwinId;
import io.outpost.cloud.TwinPatch;
import io.outpost.cloud.TwinSection;
import io.outpost.cloud.endpoint.testing.TestCloud;
import io.outpost.cloud.store.testing.CloudStoreFixture;
import io.outpost.cloud.store.testing.Fixtures;
import io.outpost.common.SystemClock;
import io.outpost.security.CloudCertificate;
import io.outpost.security.DeviceCertificates;
import io.outpost.security.DeviceCertificates.DeviceCertificate;
import java.lang.reflect.Proxy;
import java.math.BigInteger;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x509.BasicConstraints;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.openssl.jcajce.JcaPEMWriter;
import org.bouncycastle.openssl.jcajce.JcaPKCS8Generator;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The cloud link with {@code auth = x509} against the real device endpoint over an H2 store: the settings and
 * certificate files as the component reads them, Paho over TLS with the device certificate.
 */
@Tag("integration")
class CloudLinkX509Test {

    @TempDir
    Path dir;

    CloudStoreFixture store;
    TestCloud cloud;
    int port;
    Path etc;
    RecordingAgent agent = new RecordingAgent();
    HubStandIn hub = new HubStandIn("edge-1");
    final List<String> leafIds = new CopyOnWriteArrayList<>();
    CloudLink link;

    @BeforeEach
    void start() throws Exception {
        store = CloudStoreFixture.openH2(dir.resolve("registry"), 4, 1000, SystemClock.INSTANCE);
        try (ServerSocket s = new ServerSocket(0)) {
            port = s.getLocalPort();
        }
        cloud = TestCloud.start(store, dir.resolve("cloud"), port);
        etc = Files.createDirectories(dir.resolve("etc"));
    }

    @AfterEach
    void stop() {
        if (link != null) {
            link.close();
        }
        cloud.close();
        store.close();
    }

    /** The component's configuration: the annotation's defaults, overridden by {@code values}. */
    CloudLinkComponent.Config config(Map<String, Object> values) {
        Map<String, Object> all = new HashMap<>(Map.of("connectionString", "HostName=cloud.test;DeviceId=edge-1",
                "auth", "x509", "cloudPort", port, "trustBundleFile", TestCloud.trustBundle(dir.resolve("cloud"))
                        .toString(), "backoffInitialMs", 200L, "backoffMaxMs", 1000L, "publishTimeoutSecs", 5,
                "reportIntervalSecs", 1, "keepAliveSecs", 10));
        all.putAll(values);
        return (CloudLinkComponent.Config) Proxy.newProxyInstance(getClass().getClassLoader(),
                new Class<?>[] {CloudLinkComponent.Config.class}, (proxy, method, args) ->
                        all.containsKey(method.getName()) ? all.get(method.getName()) : method.getDefaultValue());
    }

    /** What the component does on activation: settings, the device certificate (created on first start). */
    LinkSettings prepare(CloudLinkComponent.Config c) {
        LinkSettings settings = CloudLinkComponent.settings(c, CloudLinkComponent.connectionString(c), etc.toString());
        settings.clientCertificate().ifPresent(files -> CloudLinkComponent.prepare(c, files, "edge-1",
                SystemClock.INSTANCE));
        return settings;
    }

    void startLink(LinkSettings settings) {
        link = new CloudLink(settings, agent, () -> hub, () -> hub, () -> hub, () -> hub, () -> leafIds,
                SystemClock.INSTANCE, "0.1.0");
        link.start();
    }

    @Test
    void givenNoCertificate_whenStartedWithX509_thenASelfSignedOneIsCreatedOwnerOnlyAndItsThumbprintShown()
            throws Exception {
        LinkSettings settings = prepare(config(Map.of()));

        Path cert = etc.resolve("cloud-device-cert.pem");
        Path key = etc.resolve("cloud-device-key.pem");
        assertThat(settings.clientCertificate()).contains(new ClientCertificate(cert, key));
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(key))).isEqualTo("rw-------");
        assertThat(Files.readString(key)).startsWith("-----BEGIN PRIVATE KEY-----");
        CloudCertificate.Details details = new LinkCertificate(settings.clientCertificate().get(), "edge-1").details();
        assertThat(details.subject()).isEqualTo("CN=edge-1");
        assertThat(details.selfSigned()).isTrue();
        assertThat(details.sha256Thumbprint()).matches("[0-9A-F]{64}");
        assertThat(details.sha1Thumbprint()).matches("[0-9A-F]{40}");
        assertThat(details.notAfter()).isBetween(Instant.now().plus(Duration.ofDays(364)),
                Instant.now().plus(Duration.ofDays(366)));

        // a second start keeps the certificate (the device stays registered)
        prepare(config(Map.of()));
        assertThat(new LinkCertificate(settings.clientCertificate().get(), "edge-1").details().sha256Thumbprint())
                .isEqualTo(details.sha256Thumbprint());
    }

    @Test
    void givenSelfSignedCertificateRegisteredByThumbprint_whenTheLinkConnects_thenItGetsTheDeploymentAndReports() {
        LinkSettings settings = prepare(config(Map.of()));
        String thumbprint = new LinkCertificate(settings.clientCertificate().get(), "edge-1").details()
                .sha256Thumbprint();
        store.registry().create("edge-1", new DeviceAuth.X509Thumbprints(thumbprint, ""), "{\"site\": \"A\"}");
        store.deployments().create(FleetDeployment.of("site-a", Fixtures.SITE, "tags.site = 'A'", 10, Map.of(), false));
        startLink(settings);

        // $edgeAgent and $edgeHub connect with the device's certificate: desired in
        await().atMost(20, TimeUnit.SECONDS).until(() -> !agent.applied.isEmpty());
        long agentVersion = store.twins().get(TwinId.module("edge-1", "$edgeAgent")).orElseThrow().desiredVersion();
        assertThat(agent.lastManifest()).contains("sensor:1");
        // reported out: the cloud counts the deployment as succeeded
        await().atMost(20, TimeUnit.SECONDS).until(() ->
                store.deployments().metrics("site-a").reportedSuccessfulCount() == 1);
        assertThat(store.twins().get(TwinId.module("edge-1", "$edgeAgent")).orElseThrow().reported())
                .contains("\"lastDesiredVersion\":" + agentVersion);
        // the device connection: telemetry
        await().atMost(20, TimeUnit.SECONDS).until(() -> link.upstream().status().connected());
        link.upstream().send(CloudLinkTest.message("x-1", null));
        link.upstream().send(CloudLinkTest.message("x-2", "sensor"));
        assertThat(store.telemetry().recent("edge-1", 10)).hasSize(2);
        assertThat(cloud.connected()).contains("edge-1", "edge-1/$edgeAgent", "edge-1/$edgeHub", "edge-1/sensor");
    }

    @Test
    void givenCaSignedRsaCertificateWithChain_whenRegisteredBySha1Thumbprint_thenTheLinkAndItsLeafConnect()
            throws Exception {
        KeyPair caKeys = keys("EC", 256);
        X509Certificate ca = sign("CN=Site CA", "CN=Site CA", caKeys.getPublic(), caKeys, true);
        KeyPair deviceKeys = keys("RSA", 2048);
        X509Certificate device = sign("CN=edge-1", "CN=Site CA", deviceKeys.getPublic(), caKeys, false);
        Path cert = Files.writeString(dir.resolve("edge-1.pem"), pem(device, ca));
        Path key = Files.writeString(dir.resolve("edge-1.key"),
                pem(new JcaPKCS8Generator(deviceKeys.getPrivate(), null)));
        Files.setPosixFilePermissions(key, PosixFilePermissions.fromString("rw-------"));
        LinkSettings settings = prepare(config(Map.of("certificate", cert.toString(), "privateKey", key.toString())));
        assertThat(Files.exists(etc.resolve("cloud-device-cert.pem"))).isFalse();
        store.registry().create("edge-1", new DeviceAuth.X509Thumbprints(DeviceCertificates.sha1Thumbprint(device), ""),
                "{}");
        store.registry().create("leaf-1", new DeviceAuth.SymmetricKeys(CloudLinkTest.OTHER_KEY, ""), "{}",
                Optional.of("edge-1"));
        store.twins().update(TwinId.device("leaf-1"), TwinPatch.merge(TwinSection.DESIRED, "{\"interval\": 5}"));
        leafIds.add("leaf-1");
        startLink(settings);

        await().atMost(20, TimeUnit.SECONDS).until(() -> link.upstream().status().connected());
        // the edge's certificate speaks for its child, as the edge's key does with SAS
        await().atMost(20, TimeUnit.SECONDS).until(() -> hub.leafDesired.getOrDefault("leaf-1", "")
                .equals("{\"interval\":5}"));
        assertThat(cloud.connected()).contains("edge-1", "leaf-1");
    }

    @Test
    void givenCertificateWhoseThumbprintIsNotRegistered_whenConnecting_thenRefusedAndTheStatusSaysWhy() {
        LinkSettings settings = prepare(config(Map.of()));
        DeviceCertificate other = DeviceCertificates.createSelfSigned(dir.resolve("other.pem"),
                dir.resolve("other.key"), "edge-1", Duration.ofDays(1), SystemClock.INSTANCE);
        store.registry().create("edge-1", new DeviceAuth.X509Thumbprints(other.sha256Thumbprint(), ""), "{}");
        String presented = new LinkCertificate(settings.clientCertificate().get(), "edge-1").details()
                .sha256Thumbprint();
        startLink(settings);

        await().atMost(20, TimeUnit.SECONDS).until(() -> !link.upstream().status().lastError().isEmpty());
        assertThat(link.upstream().status().connected()).isFalse();
        assertThat(link.upstream().status().lastError())
                .startsWith("the cloud refused the certificate of edge-1 (Not authorized to connect)")
                .endsWith("is the device edge-1 registered and enabled with x509 thumbprint " + presented + "?");
        assertThat(cloud.connected()).isEmpty();
        assertThat(agent.applied).isEmpty();
    }

    @Test
    void givenBadX509Settings_whenActivated_thenTheErrorNamesTheSettingAndNeverShowsTheKey() throws Exception {
        assertThatThrownBy(() -> prepare(config(Map.of("auth", "token"))))
                .hasMessage("auth must be sas or x509: 'token'");
        assertThatThrownBy(() -> prepare(config(Map.of("connectionString",
                "HostName=cloud.test;DeviceId=edge-1;SharedAccessKey=" + CloudLinkTest.KEY))))
                .hasMessage("connectionString: SharedAccessKey is not used with auth = x509; remove it "
                        + "(HostName=<hub>;DeviceId=<device>)");
        assertThatThrownBy(() -> prepare(config(Map.of("auth", "sas", "connectionString",
                "HostName=cloud.test;DeviceId=edge-1;x509=true"))))
                .hasMessageStartingWith("connectionString: x509 is set, but auth is sas");
        assertThatThrownBy(() -> prepare(config(Map.of("certificate", dir.resolve("a.pem").toString()))))
                .hasMessage("privateKey must be set when certificate is set (auth = x509)");
        assertThatThrownBy(() -> prepare(config(Map.of("certificateDays", 0))))
                .hasMessage("certificateDays must be at least 1: 0");

        Path missing = dir.resolve("missing.pem");
        Path key = dir.resolve("device.key");
        DeviceCertificate made = DeviceCertificates.createSelfSigned(dir.resolve("device.pem"), key, "edge-1",
                Duration.ofDays(1), SystemClock.INSTANCE);
        assertThatThrownBy(() -> prepare(files(missing, key)))
                .hasMessage("certificate " + missing + " does not exist");
        assertThatThrownBy(() -> prepare(files(dir.resolve("device.pem"), dir.resolve("nokey.pem"))))
                .hasMessage("privateKey " + dir.resolve("nokey.pem") + " does not exist");

        Path notPem = Files.writeString(dir.resolve("not.pem"), "hello");
        assertThatThrownBy(() -> prepare(files(notPem, key)))
                .hasMessage("certificate " + notPem + " holds no PEM certificate (-----BEGIN CERTIFICATE-----)");

        Files.setPosixFilePermissions(key, PosixFilePermissions.fromString("rw-r--r--"));
        assertThatThrownBy(() -> prepare(files(dir.resolve("device.pem"), key)))
                .hasMessage("privateKey " + key + " is accessible to other users (rw-r--r--): make it readable by "
                        + "its owner only (chmod 600)");
        Files.setPosixFilePermissions(key, PosixFilePermissions.fromString("rw-------"));

        DeviceCertificates.createSelfSigned(dir.resolve("other.pem"), dir.resolve("other.key"), "edge-1",
                Duration.ofDays(1), SystemClock.INSTANCE);
        assertThatThrownBy(() -> prepare(files(dir.resolve("device.pem"), dir.resolve("other.key"))))
                .hasMessage("privateKey " + dir.resolve("other.key") + " does not belong to certificate "
                        + dir.resolve("device.pem") + ": the key does not match the certificate's public key");

        Path certAsKey = dir.resolve("cert-as-key.pem");
        Files.copy(dir.resolve("device.pem"), certAsKey);
        Files.setPosixFilePermissions(certAsKey, PosixFilePermissions.fromString("rw-------"));
        assertThatThrownBy(() -> prepare(files(dir.resolve("device.pem"), certAsKey)))
                .hasMessageStartingWith("privateKey " + certAsKey + " holds no PEM private key");

        DeviceCertificates.createSelfSigned(dir.resolve("gw.pem"), dir.resolve("gw.key"), "gateway-7",
                Duration.ofDays(1), SystemClock.INSTANCE);
        assertThatThrownBy(() -> prepare(files(dir.resolve("gw.pem"), dir.resolve("gw.key"))))
                .hasMessage("certificate " + dir.resolve("gw.pem") + ": the subject CN is 'gateway-7', the cloud "
                        + "requires CN=edge-1 (the DeviceId of connectionString)");

        // the key's text appears in no message
        String keyText = Files.readString(key);
        String body = keyText.lines().filter(l -> !l.startsWith("-----")).findFirst().orElseThrow();
        Path broken = Files.writeString(dir.resolve("broken.key"), keyText.replace(body, body.substring(0, 20)));
        Files.setPosixFilePermissions(broken, PosixFilePermissions.fromString("rw-------"));
        assertThatThrownBy(() -> prepare(files(dir.resolve("device.pem"), broken)))
                .hasMessageStartingWith("privateKey " + broken + " is not a readable PEM private key")
                .hasMessageNotContaining(body.substring(0, 20));
        assertThat(made.toString()).contains("key=hidden").doesNotContain(body);
    }

    CloudLinkComponent.Config files(Path cert, Path key) {
        return config(Map.of("certificate", cert.toString(), "privateKey", key.toString()));
    }

    static KeyPair keys(String algorithm, int size) throws Exception {
        KeyPairGenerator g = KeyPairGenerator.getInstance(algorithm);
        g.initialize(size);
        return g.generateKeyPair();
    }

    static X509Certificate sign(String subject, String issuer, java.security.PublicKey key, KeyPair issuerKeys,
            boolean ca) throws Exception {
        Instant now = Instant.now();
        JcaX509v3CertificateBuilder b = new JcaX509v3CertificateBuilder(new X500Name(issuer),
                BigInteger.valueOf(now.toEpochMilli()), Date.from(now.minusSeconds(60)),
                Date.from(now.plus(Duration.ofDays(1))), new X500Name(subject), key);
        b.addExtension(Extension.basicConstraints, true, new BasicConstraints(ca));
        return new JcaX509CertificateConverter().getCertificate(
                b.build(new JcaContentSignerBuilder("SHA256withECDSA").build(issuerKeys.getPrivate())));
    }

    static String pem(Object... objects) throws Exception {
        java.io.StringWriter out = new java.io.StringWriter();
        try (JcaPEMWriter w = new JcaPEMWriter(out)) {
            for (Object o : objects) {
                w.writeObject(o);
            }
        }
        return out.toString();
    }
}

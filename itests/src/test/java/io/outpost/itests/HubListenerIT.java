package io.outpost.itests;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertNotNull;
import static org.junit.Assert.assertTrue;
import static org.ops4j.pax.exam.karaf.options.KarafDistributionOption.editConfigurationFilePut;

import io.outpost.hub.ClientConnection;
import io.outpost.hub.ConnectedClients;
import io.outpost.hub.MessageRouter;
import io.outpost.security.CertificateService;
import io.outpost.security.Identity;
import io.outpost.security.IdentityService;
import io.outpost.security.ModuleProvisioning;
import io.outpost.security.SasToken;
import java.io.ByteArrayInputStream;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.security.cert.Certificate;
import java.security.cert.CertificateFactory;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;
import org.eclipse.paho.client.mqttv3.MqttClient;
import org.eclipse.paho.client.mqttv3.MqttConnectOptions;
import org.eclipse.paho.client.mqttv3.MqttException;
import org.eclipse.paho.client.mqttv3.MqttMessage;
import org.eclipse.paho.client.mqttv3.persist.MemoryPersistence;
import org.junit.After;
import org.junit.Test;
import org.ops4j.pax.exam.Option;

/**
 * The hub's MQTT listener in the distribution: a leaf device registered through {@link IdentityService} connects
 * with a SAS token over TLS, trusting only {@link CertificateService}'s trust bundle (Eclipse Paho, MQTT 3.1.1); its
 * telemetry follows a route added in the shell to a module input that another Paho client, a module identity of
 * the edge device, receives through the hub's Camel pump; the leaf reads its twin. The listener is on a free port.
 */
public class HubListenerIT extends OutpostTestSupport {

    private static final Duration WAIT = Duration.ofSeconds(60);
    private static final String DEVICE = "pax-edge";
    private static final String API = "/?api-version=2021-04-12";

    private final List<MqttClient> clients = new ArrayList<>();
    private String mqttPort;

    @Override
    protected Option[] extraOptions() {
        return new Option[] {
            editConfigurationFilePut("etc/io.outpost.hub.store.cfg", "mqttTlsPort", freePort()),
            editConfigurationFilePut("etc/io.outpost.hub.store.cfg", "deviceId", DEVICE)};
    }

    @After
    public void closeClients() throws MqttException {
        for (MqttClient c : clients) {
            if (c.isConnected()) {
                c.disconnectForcibly(100, 1000);
            }
            c.close(true);
        }
    }

    @Test
    public void givenLeafAndModuleOverTls_whenLeafSendsTelemetryAndReadsItsTwin_thenModuleInputAndTwinAnswer()
            throws Exception {
        IdentityService identities = awaitService(IdentityService.class, WAIT);
        CertificateService certificates = awaitService(CertificateService.class, WAIT);
        String hub = awaitService(ModuleProvisioning.class, WAIT).hubNames().iotHubHostName();
        ConnectedClients connected = awaitService(ConnectedClients.class, WAIT);
        awaitService(MessageRouter.class, WAIT);
        awaitCommand("edge", "route-add", WAIT);
        // the port chosen when the runtime was configured (this class runs again inside the runtime)
        Properties store = new Properties();
        try (Reader in = Files.newBufferedReader(Path.of(System.getProperty("karaf.etc"), "io.outpost.hub.store.cfg"))) {
            store.load(in);
        }
        mqttPort = store.getProperty("mqttTlsPort").trim();
        Identity leaf = identities.addDevice("pax-leaf");
        Identity sink = identities.moduleIdentity(DEVICE, "sink");
        SSLContext tls = trusting(certificates.trustBundlePem());

        executeCommand("edge:route-add leafToSink 'FROM /messages/* INTO BrokeredEndpoint(\"/modules/sink/inputs/fromLeaf\")'");
        BlockingQueue<String> atSink = new LinkedBlockingQueue<>();
        MqttClient module = connect(sink, hub, tls);
        module.subscribe("devices/" + DEVICE + "/modules/sink/inputs/#", 1,
                (topic, message) -> atSink.add(topic + " " + new String(message.getPayload(), StandardCharsets.UTF_8)));
        MqttClient device = connect(leaf, hub, tls);
        List<ClientConnection> listed = connected.list();
        assertTrue(listed.toString(), listed.stream().anyMatch(c -> c.identity().equals("pax-leaf") && c.tls()));

        device.publish("devices/pax-leaf/messages/events/%24.mid=pax-1&kind=reading", qos1("{\"t\":21.5}"));
        String delivered = atSink.poll(WAIT.toSeconds(), TimeUnit.SECONDS);
        assertNotNull("the module input received the leaf's telemetry", delivered);
        assertTrue(delivered, delivered.startsWith("devices/" + DEVICE + "/modules/sink/inputs/fromLeaf/"));
        assertTrue(delivered, delivered.contains("%24.mid=pax-1") && delivered.contains("%24.cdid=pax-leaf")
                && delivered.contains("kind=reading") && delivered.endsWith(" {\"t\":21.5}"));

        BlockingQueue<String> twin = new LinkedBlockingQueue<>();
        device.subscribe("$iothub/twin/res/#", 0,
                (topic, message) -> twin.add(topic + " " + new String(message.getPayload(), StandardCharsets.UTF_8)));
        device.publish("$iothub/twin/GET/?$rid=7", qos1(""));
        assertEquals("$iothub/twin/res/200/?$rid=7 {\"desired\":{\"$version\":1},\"reported\":{\"$version\":1}}",
                twin.poll(WAIT.toSeconds(), TimeUnit.SECONDS));
        device.publish("$iothub/twin/PATCH/properties/reported/?$rid=8", qos1("{\"fw\":\"2.0\"}"));
        assertEquals("$iothub/twin/res/204/?$rid=8&$version=2 ", twin.poll(WAIT.toSeconds(), TimeUnit.SECONDS));
        String shown = executeCommand("edge:twin-show pax-leaf");
        assertTrue(shown, shown.contains("fw") && shown.contains("2.0"));
    }

    private MqttClient connect(Identity identity, String hub, SSLContext tls) throws MqttException {
        MqttClient client = new MqttClient("ssl://127.0.0.1:" + mqttPort, identity.name(), new MemoryPersistence());
        clients.add(client);
        MqttConnectOptions options = new MqttConnectOptions();
        options.setMqttVersion(MqttConnectOptions.MQTT_VERSION_3_1_1);
        options.setAutomaticReconnect(false);
        options.setConnectionTimeout(30);
        options.setUserName(hub + "/" + identity.name() + API);
        options.setPassword(SasToken.create(identity.resource(hub), identity.primaryKey().orElseThrow(),
                Instant.now().plusSeconds(3600)).toCharArray());
        options.setSocketFactory(tls.getSocketFactory());
        client.connect(options);
        return client;
    }

    private static SSLContext trusting(String pem) throws Exception {
        KeyStore trust = KeyStore.getInstance("PKCS12");
        trust.load(null, null);
        int i = 0;
        for (Certificate c : CertificateFactory.getInstance("X.509")
                .generateCertificates(new ByteArrayInputStream(pem.getBytes(StandardCharsets.US_ASCII)))) {
            trust.setCertificateEntry("edge-ca-" + i++, c);
        }
        TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        tmf.init(trust);
        SSLContext context = SSLContext.getInstance("TLSv1.2");
        context.init(null, tmf.getTrustManagers(), null);
        return context;
    }

    private static MqttMessage qos1(String body) {
        MqttMessage m = new MqttMessage(body.getBytes(StandardCharsets.UTF_8));
        m.setQos(1);
        return m;
    }
}

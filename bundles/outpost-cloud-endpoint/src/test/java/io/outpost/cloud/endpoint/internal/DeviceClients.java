package io.outpost.cloud.endpoint.internal;

import io.outpost.pki.SasToken;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.security.cert.Certificate;
import java.security.cert.CertificateFactory;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLSocketFactory;
import javax.net.ssl.TrustManagerFactory;
import org.eclipse.paho.client.mqttv3.MqttClient;
import org.eclipse.paho.client.mqttv3.MqttConnectOptions;
import org.eclipse.paho.client.mqttv3.MqttException;
import org.eclipse.paho.client.mqttv3.persist.MemoryPersistence;

/** Paho clients that speak to the endpoint as IoT Hub's SDKs do: TLS trusting the trust bundle, SAS tokens. */
final class DeviceClients {

    static final String HUB = "cloud.test";

    private final Path trustBundle;
    private final int port;

    DeviceClients(Path trustBundle, int port) {
        this.trustBundle = trustBundle;
        this.port = port;
    }

    /** A connected client for {@code identity} ({@code d} or {@code d/m}) with a token signed by {@code key}. */
    MqttClient connect(String identity, String key) throws Exception {
        String resource = HUB + "/devices/" + identity.replace("/", "/modules/");
        return connectWithToken(identity, SasToken.create(resource, key, Instant.now().plus(1, ChronoUnit.HOURS)));
    }

    MqttClient connectWithToken(String identity, String token) throws Exception {
        MqttClient client = new MqttClient("ssl://127.0.0.1:" + port, identity, new MemoryPersistence());
        MqttConnectOptions options = new MqttConnectOptions();
        options.setMqttVersion(MqttConnectOptions.MQTT_VERSION_3_1_1);
        options.setCleanSession(true);
        options.setUserName(HUB + "/" + identity + "/?api-version=2021-04-12");
        options.setPassword(token.toCharArray());
        options.setSocketFactory(socketFactory());
        options.setConnectionTimeout(10);
        options.setAutomaticReconnect(false);
        try {
            client.connect(options);
        } catch (MqttException e) {
            client.close();
            throw e;
        }
        return client;
    }

    SSLSocketFactory socketFactory() throws Exception {
        KeyStore trust = KeyStore.getInstance("PKCS12");
        trust.load(null, null);
        try (InputStream in = Files.newInputStream(trustBundle)) {
            int i = 0;
            for (Certificate c : CertificateFactory.getInstance("X.509").generateCertificates(in)) {
                trust.setCertificateEntry("ca" + i++, c);
            }
        }
        TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        tmf.init(trust);
        SSLContext context = SSLContext.getInstance("TLS");
        context.init(null, tmf.getTrustManagers(), null);
        return context.getSocketFactory();
    }
}

package io.outpost.cloud.link.internal;

import io.outpost.security.DeviceCertificates.DeviceCertificate;
import io.outpost.security.SasToken;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.cert.Certificate;
import java.security.cert.CertificateFactory;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import javax.net.ssl.KeyManager;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLSocketFactory;
import javax.net.ssl.TrustManagerFactory;
import org.eclipse.paho.client.mqttv3.IMqttDeliveryToken;
import org.eclipse.paho.client.mqttv3.IMqttToken;
import org.eclipse.paho.client.mqttv3.MqttAsyncClient;
import org.eclipse.paho.client.mqttv3.MqttCallback;
import org.eclipse.paho.client.mqttv3.MqttConnectOptions;
import org.eclipse.paho.client.mqttv3.MqttException;
import org.eclipse.paho.client.mqttv3.MqttMessage;
import org.eclipse.paho.client.mqttv3.persist.MemoryPersistence;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One MQTT connection to the cloud for one identity ({@code <device>} or {@code <device>/<module>}), with a SAS
 * token signed with the device's key or, with {@code auth = x509}, the device's client certificate in the TLS
 * handshake and no password. It connects, subscribes its filters and tells its {@link Listener}; when the connection
 * is lost or cannot be made it tries again after an exponential back-off with jitter, and with SAS it reconnects
 * with a fresh token before the current one expires. Paho's callbacks are handed to the listener as they come: the
 * listener does not block them. Every message is acknowledged (PUBACK) once the listener returned (Paho's automatic
 * acknowledgement), except, on a connection made with {@code ackedByListener}, those on topics it accepts: the
 * listener acknowledges those itself ({@link #ack}), or never (Paho's manual acknowledgements).
 */
final class CloudConnection implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(CloudConnection.class);
    static final String API_VERSION = "2021-04-12";

    /** What the connection reports. */
    interface Listener {
        void connected(CloudConnection connection);

        void disconnected(CloudConnection connection, String reason);

        void message(CloudConnection connection, String topic, MqttMessage message);
    }

    private final LinkSettings settings;
    private final String identity;
    private final List<String> filters;
    private final Listener listener;
    private final ScheduledExecutorService timers;
    private final MqttAsyncClient client;
    private final Predicate<String> ackedByListener;
    private int failures;
    /** Counts connection attempts: a message of an earlier one is not acknowledged on a later one. */
    private long session;
    private boolean closed;
    private ScheduledFuture<?> pending;
    /** The client certificate of the last attempt (auth = x509). */
    private volatile DeviceCertificate presented;

    CloudConnection(LinkSettings settings, String identity, List<String> filters, Listener listener,
            ScheduledExecutorService timers) {
        this(settings, identity, filters, listener, timers, null);
    }

    /**
     * @param ackedByListener the topics whose messages the listener acknowledges itself ({@link #ack}); the others
     *     are acknowledged once the listener returned. Null: every message is (Paho's automatic acknowledgement)
     */
    CloudConnection(LinkSettings settings, String identity, List<String> filters, Listener listener,
            ScheduledExecutorService timers, Predicate<String> ackedByListener) {
        this.settings = settings;
        this.identity = identity;
        this.filters = List.copyOf(filters);
        this.listener = listener;
        this.timers = timers;
        this.ackedByListener = ackedByListener;
        try {
            this.client = new MqttAsyncClient(settings.serverUri(), identity, new MemoryPersistence());
        } catch (MqttException e) {
            throw new IllegalArgumentException("cannot create an MQTT client for " + settings.serverUri() + ": "
                    + e.getMessage(), e);
        }
        client.setManualAcks(ackedByListener != null);
        client.setCallback(new MqttCallback() {
            @Override
            public void connectionLost(Throwable cause) {
                lost(cause == null ? "connection lost" : describe(cause));
            }

            @Override
            public void messageArrived(String topic, MqttMessage message) throws MqttException {
                listener.message(CloudConnection.this, topic, message);
                if (ackedByListener != null && !ackedByListener.test(topic)) {
                    client.messageArrivedComplete(message.getId(), message.getQos());
                }
            }

            @Override
            public void deliveryComplete(IMqttDeliveryToken token) {
            }
        });
    }

    String identity() {
        return identity;
    }

    boolean isConnected() {
        return client.isConnected();
    }

    /** Starts connecting now. */
    synchronized void start() {
        schedule(Duration.ZERO);
    }

    private synchronized void schedule(Duration delay) {
        if (closed) {
            return;
        }
        if (pending != null) {
            pending.cancel(false);
        }
        pending = timers.schedule(this::connect, delay.toMillis(), TimeUnit.MILLISECONDS);
    }

    private void connect() {
        synchronized (this) {
            if (closed || client.isConnected()) {
                return;
            }
            session++;
        }
        Instant now = Instant.now();
        Instant expiry = now.plus(settings.tokenTtl());
        try {
            client.connect(options(now, expiry)).waitForCompletion(settings.publishTimeout().toMillis());
            if (!filters.isEmpty()) {
                int[] qos = filters.stream().mapToInt(f -> 1).toArray();
                client.subscribe(filters.toArray(String[]::new), qos).waitForCompletion(settings.publishTimeout().toMillis());
            }
        } catch (MqttException e) {
            disconnectQuietly();
            failed(refusal(e));
            return;
        } catch (IOException | GeneralSecurityException | RuntimeException e) {
            disconnectQuietly();
            failed(describe(e));
            return;
        }
        synchronized (this) {
            failures = 0;
        }
        if (settings.x509()) {
            LOG.info("cloud-connected identity={} server={} auth=x509", identity, settings.serverUri());
            listener.connected(this);
            return;
        }
        LOG.info("cloud-connected identity={} server={} tokenExpiry={}", identity, settings.serverUri(), expiry);
        long renewMillis = settings.tokenTtl().toMillis() * 8 / 10;
        synchronized (this) {
            if (!closed) {
                pending = timers.schedule(this::renewToken, renewMillis, TimeUnit.MILLISECONDS);
            }
        }
        listener.connected(this);
    }

    private void failed(String reason) {
        Duration delay;
        synchronized (this) {
            delay = jitter(settings.backoff().delay(Math.min(failures, 30)));
            failures++;
        }
        LOG.debug("cloud-connect-failed identity={} reason=\"{}\" retryInMs={}", identity, reason, delay.toMillis());
        listener.disconnected(this, reason);
        schedule(delay);
    }

    private void lost(String reason) {
        LOG.info("cloud-connection-lost identity={} reason=\"{}\"", identity, reason);
        failed(reason);
    }

    /**
     * The current connection attempt; a message that arrived during it is acknowledged with {@link #ack} only while
     * it lasts.
     */
    synchronized long session() {
        return session;
    }

    /**
     * Acknowledges (PUBACK) a message whose topic the listener acknowledges itself, when it came in {@code session}
     * and that connection is still up: on a later connection its packet id may name another message. May be called
     * from any thread.
     *
     * @return whether the acknowledgement was sent
     */
    synchronized boolean ack(long messageSession, MqttMessage message) {
        if (closed || messageSession != session || !client.isConnected()) {
            return false;
        }
        try {
            client.messageArrivedComplete(message.getId(), message.getQos());
            return true;
        } catch (MqttException e) {
            LOG.debug("cloud-ack-failed identity={} error=\"{}\"", identity, e.getMessage());
            return false;
        }
    }

    /**
     * Subscribes one more filter on the current connection and waits for the SUBACK (not kept for the next
     * connection: the listener subscribes again on {@link Listener#connected}). Not on Paho's callback thread.
     *
     * @throws MqttException when not connected, refused or not acknowledged within the publish timeout
     */
    void subscribe(String filter) throws MqttException {
        IMqttToken token = client.subscribe(filter, 1);
        token.waitForCompletion(settings.publishTimeout().toMillis());
        int[] granted = token.getGrantedQos();
        if (!token.isComplete()) {
            throw new MqttException(MqttException.REASON_CODE_CLIENT_TIMEOUT);
        }
        if (granted != null && granted.length > 0 && granted[0] == 0x80) {
            throw new MqttException(MqttException.REASON_CODE_SUBSCRIBE_FAILED);
        }
    }

    /** Unsubscribes a filter on the current connection and waits for the UNSUBACK. Not on Paho's callback thread. */
    void unsubscribe(String filter) throws MqttException {
        IMqttToken token = client.unsubscribe(filter);
        token.waitForCompletion(settings.publishTimeout().toMillis());
        if (!token.isComplete()) {
            throw new MqttException(MqttException.REASON_CODE_CLIENT_TIMEOUT);
        }
    }

    /**
     * Closes the connection and connects again at once (with only the constructor's filters): what the cloud sent
     * and was not acknowledged is then no longer awaited there. Not on Paho's callback thread.
     */
    void reconnect(String reason) {
        LOG.info("cloud-reconnect identity={} reason=\"{}\"", identity, reason);
        disconnectQuietly();
        listener.disconnected(this, reason);
        schedule(Duration.ZERO);
    }

    /** Reconnects with a fresh token: IoT Hub closes a connection when its token expires. */
    private void renewToken() {
        LOG.info("cloud-token-renewal identity={}", identity);
        disconnectQuietly();
        listener.disconnected(this, "token renewal");
        schedule(Duration.ZERO);
    }

    /** Half to all of the delay, at random ("equal jitter"), so that many edges do not reconnect in step. */
    static Duration jitter(Duration delay) {
        long half = delay.toMillis() / 2;
        return Duration.ofMillis(half + ThreadLocalRandom.current().nextLong(half + 1));
    }

    /**
     * The reason of a failed attempt; a CONNACK refusal says which credential the cloud refused (it never says why:
     * its log does, {@code client-refused ... reason=...}).
     */
    private String refusal(MqttException e) {
        int code = e.getReasonCode();
        if (code != MqttException.REASON_CODE_NOT_AUTHORIZED
                && code != MqttException.REASON_CODE_FAILED_AUTHENTICATION) {
            return describe(e);
        }
        String device = settings.connection().deviceId();
        String credential = settings.x509() ? "certificate" : "SAS token";
        if (!identity.equals(device) && !identity.startsWith(device + "/")) {
            return "the cloud refused the " + credential + " of " + identity + " (" + describe(e) + "): is "
                    + identity + " registered as a child of " + device + "?";
        }
        if (!settings.x509()) {
            return "the cloud refused the SAS token of " + identity + " (" + describe(e) + "): is the device "
                    + device + " registered and enabled with this key?";
        }
        String thumbprint = presented == null ? "?" : presented.sha256Thumbprint();
        return "the cloud refused the certificate of " + identity + " (" + describe(e) + "): is the device "
                + device + " registered and enabled with x509 thumbprint " + thumbprint + "?";
    }

    private MqttConnectOptions options(Instant now, Instant expiry) throws IOException, GeneralSecurityException {
        ConnectionString cs = settings.connection();
        String resource = cs.hostName() + "/devices/" + identity.replace("/", "/modules/");
        MqttConnectOptions o = new MqttConnectOptions();
        o.setMqttVersion(MqttConnectOptions.MQTT_VERSION_3_1_1);
        o.setCleanSession(true);
        o.setAutomaticReconnect(false);
        o.setKeepAliveInterval((int) settings.keepAlive().toSeconds());
        o.setConnectionTimeout((int) Math.max(1, settings.publishTimeout().toSeconds()));
        o.setMaxInflight(100);
        o.setUserName(cs.hostName() + "/" + identity + "/?api-version=" + API_VERSION);
        KeyManager[] keyManagers = null;
        if (settings.x509()) {
            // no password: the certificate in the TLS handshake is the credential
            presented = settings.clientCertificate().get().loadValid(cs.deviceId(), now);
            keyManagers = ClientCertificate.keyManagers(presented);
        } else {
            o.setPassword(SasToken.create(resource, cs.sharedAccessKey(), expiry).toCharArray());
        }
        o.setSocketFactory(socketFactory(keyManagers));
        o.setHttpsHostnameVerificationEnabled(true);
        return o;
    }

    /**
     * Trusts the certificates of the trust bundle file, read on every attempt so that a replaced file applies, and
     * presents the client certificate of the key managers (none: no client certificate).
     */
    private SSLSocketFactory socketFactory(KeyManager[] keyManagers) throws IOException, GeneralSecurityException {
        KeyStore trust = KeyStore.getInstance("PKCS12");
        trust.load(null, null);
        if (!Files.isRegularFile(settings.trustBundleFile())) {
            throw new IOException("trustBundleFile " + settings.trustBundleFile() + " does not exist");
        }
        try (InputStream in = Files.newInputStream(settings.trustBundleFile())) {
            int i = 0;
            for (Certificate c : CertificateFactory.getInstance("X.509").generateCertificates(in)) {
                trust.setCertificateEntry("cloud-ca-" + i++, c);
            }
            if (i == 0) {
                throw new GeneralSecurityException("trustBundleFile " + settings.trustBundleFile()
                        + " holds no certificate");
            }
        }
        TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        tmf.init(trust);
        SSLContext context = SSLContext.getInstance("TLS");
        context.init(keyManagers, tmf.getTrustManagers(), null);
        return context.getSocketFactory();
    }

    /**
     * Publishes and waits for the acknowledgement (QoS 1: the PUBACK).
     *
     * @throws MqttException when not connected, or when no acknowledgement came within the publish timeout
     */
    void publish(String topic, byte[] payload, int qos) throws MqttException {
        MqttMessage m = new MqttMessage(payload);
        m.setQos(qos);
        IMqttDeliveryToken token = client.publish(topic, m);
        token.waitForCompletion(settings.publishTimeout().toMillis());
        if (!token.isComplete()) {
            throw new MqttException(MqttException.REASON_CODE_CLIENT_TIMEOUT);
        }
    }

    private void disconnectQuietly() {
        try {
            if (client.isConnected()) {
                IMqttToken t = client.disconnect(1000);
                t.waitForCompletion(2000);
            }
        } catch (MqttException e) {
            try {
                client.disconnectForcibly(100, 100);
            } catch (MqttException ignored) {
                // the connection is gone either way
            }
        }
    }

    static String describe(Throwable e) {
        Throwable root = e;
        while (root.getCause() != null && root.getCause() != root) {
            root = root.getCause();
        }
        String text = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
        return root == e ? text : text + ": " + (root.getMessage() == null ? root.getClass().getSimpleName()
                : root.getMessage());
    }

    @Override
    public void close() {
        synchronized (this) {
            closed = true;
            if (pending != null) {
                pending.cancel(false);
            }
        }
        disconnectQuietly();
        try {
            client.close();
        } catch (MqttException e) {
            LOG.debug("cloud-client-close-failed identity={} error=\"{}\"", identity, e.getMessage());
        }
    }
}

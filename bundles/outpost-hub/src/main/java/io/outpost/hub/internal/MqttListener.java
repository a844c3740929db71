package io.outpost.hub.internal;

import io.outpost.hub.MessageRouter;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.KeyStore;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import org.apache.activemq.artemis.api.core.TransportConfiguration;
import org.apache.activemq.artemis.core.remoting.impl.netty.NettyAcceptorFactory;
import org.apache.activemq.artemis.core.remoting.impl.netty.TransportConstants;
import org.apache.activemq.artemis.spi.core.remoting.Acceptor;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The hub's MQTT 3.1.1 listeners on the embedded broker: TLS on {@link MqttSettings#tlsPort()} with the hub's
 * server certificate, and optionally plain text on 127.0.0.1. The certificate is written with a random password
 * (kept in memory only) to {@code mqtt/server.p12} under the store's directory, mode 600. Closing removes the
 * listeners, the authenticator and the interceptor, and deletes the key store.
 */
final class MqttListener implements AutoCloseable {

    static final String TLS_ACCEPTOR = "outpost-mqtt-tls";
    static final String PLAIN_ACCEPTOR = "outpost-mqtt-plain";
    private static final Logger LOG = LoggerFactory.getLogger(MqttListener.class);

    private final EmbeddedBroker broker;
    private final TelemetryInterceptor interceptor;
    private final List<String> acceptors = new ArrayList<>();
    private final Path keyStoreFile;

    private MqttListener(EmbeddedBroker broker, TelemetryInterceptor interceptor, Path keyStoreFile) {
        this.broker = broker;
        this.interceptor = interceptor;
        this.keyStoreFile = keyStoreFile;
    }

    /**
     * Starts the configured listeners.
     *
     * @param keyStores the hub's server key store for a password (alias {@code server}, PKCS12)
     */
    static MqttListener start(EmbeddedBroker broker, MqttSettings settings, Path storeDir,
            Function<char[], KeyStore> keyStores, ClientAuthenticator authenticator, MessageRouter router)
            throws Exception {
        Path keyStoreFile = storeDir.toAbsolutePath().resolve("mqtt").resolve("server.p12");
        MqttListener listener = new MqttListener(broker, new TelemetryInterceptor(router), keyStoreFile);
        broker.security().authenticator(authenticator);
        broker.server().getRemotingService().addIncomingInterceptor(listener.interceptor);
        try {
            if (settings.tlsPort() != 0) {
                char[] password = randomPassword();
                writeKeyStore(keyStores.apply(password), password, keyStoreFile);
                Map<String, Object> params = params(settings.host(), settings.tlsPort());
                params.put(TransportConstants.SSL_ENABLED_PROP_NAME, true);
                params.put(TransportConstants.KEYSTORE_PATH_PROP_NAME, keyStoreFile.toString());
                params.put(TransportConstants.KEYSTORE_PASSWORD_PROP_NAME, new String(password));
                params.put(TransportConstants.KEYSTORE_TYPE_PROP_NAME, "PKCS12");
                listener.startAcceptor(TLS_ACCEPTOR, params);
            }
            if (settings.plainPort() != 0) {
                listener.startAcceptor(PLAIN_ACCEPTOR, params(MqttSettings.LOOPBACK, settings.plainPort()));
            }
            return listener;
        } catch (Exception | Error e) {
            listener.close();
            throw e;
        }
    }

    private static Map<String, Object> params(String host, int port) {
        Map<String, Object> params = new HashMap<>();
        params.put(TransportConstants.HOST_PROP_NAME, host);
        params.put(TransportConstants.PORT_PROP_NAME, port);
        params.put(TransportConstants.PROTOCOLS_PROP_NAME, "MQTT");
        return params;
    }

    private void startAcceptor(String name, Map<String, Object> params) throws Exception {
        Acceptor acceptor = broker.server().getRemotingService()
                .createAcceptor(new TransportConfiguration(NettyAcceptorFactory.class.getName(), params, name));
        if (acceptor == null) {
            throw new IllegalStateException("the broker could not create the MQTT listener " + name);
        }
        acceptors.add(name);
        ClassLoader previous = Thread.currentThread().getContextClassLoader();
        Thread.currentThread().setContextClassLoader(Acceptor.class.getClassLoader());
        try {
            acceptor.start();
        } finally {
            Thread.currentThread().setContextClassLoader(previous);
        }
        LOG.info("mqtt-listener-started name={} host={} port={} tls={}", name,
                params.get(TransportConstants.HOST_PROP_NAME), params.get(TransportConstants.PORT_PROP_NAME),
                Boolean.TRUE.equals(params.get(TransportConstants.SSL_ENABLED_PROP_NAME)));
    }

    private static char[] randomPassword() {
        byte[] bytes = new byte[24];
        new SecureRandom().nextBytes(bytes);
        return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes).toCharArray();
    }

    private static void writeKeyStore(KeyStore keyStore, char[] password, Path file) throws Exception {
        Files.createDirectories(file.getParent());
        Files.deleteIfExists(file);
        boolean posix = file.getFileSystem().supportedFileAttributeViews().contains("posix");
        if (posix) {
            Files.createFile(file, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
        } else {
            Files.createFile(file);
        }
        try (OutputStream out = Files.newOutputStream(file, StandardOpenOption.TRUNCATE_EXISTING)) {
            keyStore.store(out, password);
        }
    }

    @Override
    public void close() {
        for (String name : acceptors) {
            try {
                broker.server().getRemotingService().destroyAcceptor(name);
            } catch (Exception e) {
                LOG.warn("mqtt-listener-stop-failed name={}", name, e);
            }
        }
        acceptors.clear();
        broker.server().getRemotingService().removeIncomingInterceptor(interceptor);
        broker.security().authenticator(null);
        try {
            Files.deleteIfExists(keyStoreFile);
        } catch (IOException e) {
            LOG.warn("mqtt-keystore-delete-failed file={}", keyStoreFile, e);
        }
    }
}

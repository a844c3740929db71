package io.outpost.hub.internal;

import io.outpost.common.DaemonThreads;
import io.outpost.common.Clock;
import io.outpost.hub.DeadLetter;
import io.outpost.hub.EndpointSender;
import io.outpost.hub.Message;
import io.outpost.hub.MessageStore;
import io.outpost.hub.QueueStats;
import io.outpost.hub.StoredMessage;
import io.outpost.hub.Endpoints;
import io.outpost.hub.UpstreamSender;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.time.Duration;
import java.util.Collection;
import java.util.List;
import java.util.Set;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.osgi.framework.BundleContext;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.ConfigurationPolicy;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.component.annotations.ReferenceCardinality;
import org.osgi.service.component.annotations.ReferencePolicy;
import org.osgi.service.component.annotations.ReferencePolicyOption;
import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.Designate;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Publishes the durable endpoint store as the {@link MessageStore} service, and the {@link EndpointSender} that
 * delivers module inputs through the hub's MQTT listener ({@link ModuleInputDelivery}) and {@code $upstream} through the cloud link's {@link UpstreamSender}
 * (while one is registered). It owns the embedded broker:
 * started on activation, stopped on deactivation (a configuration change restarts it), and a sweep that
 * removes expired messages every {@link #SWEEP_PERIOD_SECONDS} seconds.
 */
@Component(immediate = true, service = {MessageStore.class, EndpointSender.class}, configurationPid = MessageStoreComponent.PID,
        configurationPolicy = ConfigurationPolicy.OPTIONAL)
@Designate(ocd = MessageStoreComponent.Config.class)
public class MessageStoreComponent implements MessageStore, EndpointSender {

    static final String PID = "io.outpost.hub.store";
    static final long SWEEP_PERIOD_SECONDS = 60;
    private static final Logger LOG = LoggerFactory.getLogger(MessageStoreComponent.class);

    @ObjectClassDefinition(id = PID, name = "Outpost hub store",
            description = "Durable store-and-forward queues of the hub, one per endpoint")
    public @interface Config {
        @AttributeDefinition(description = "Directory of the journal, bindings, paging and large messages; "
                + "empty means ${karaf.data}/outpost/store")
        String dataDir() default "";

        @AttributeDefinition(description = "Byte quota of each endpoint queue (bodies plus property names and values)")
        long maxSizeBytes() default 1_073_741_824L;

        @AttributeDefinition(description = "What a full endpoint queue does with a new message: reject or drop-oldest")
        String fullPolicy() default "reject";

        @AttributeDefinition(description = "TTL of messages enqueued without one (Azure's timeToLiveSecs)")
        long defaultTtlSeconds() default 7200;

        @AttributeDefinition(description = "Device id in the topics of module inputs "
                + "(devices/<deviceId>/modules/<m>/inputs/<i>); empty: the host name")
        String deviceId() default "";

        @AttributeDefinition(description = "Address the MQTT listeners bind to (TLS; the plain listener always binds "
                + "127.0.0.1)")
        String mqttHost() default "127.0.0.1";

        @AttributeDefinition(description = "Port of MQTT 3.1.1 and 5 over TLS for modules and leaf devices; 0: no TLS "
                + "listener")
        int mqttTlsPort() default 8883;

        @AttributeDefinition(description = "Port of plain-text MQTT, bound to 127.0.0.1 only; 0 (the default): none")
        int mqttPlainPort() default 0;

        @AttributeDefinition(description = "Largest MQTT packet accepted, in bytes (IoT Hub: 256 KiB); a larger one "
                + "closes the connection")
        int mqttMaxPacketBytes() default 262144;

        @AttributeDefinition(description = "Seconds from TCP accept to a valid CONNECT (TLS handshake included)")
        long mqttConnectTimeoutSecs() default 10;

        @AttributeDefinition(description = "Seconds a delivery to a module input waits for the module's PUBACK")
        long mqttDeliveryTimeoutSecs() default 60;

        @AttributeDefinition(description = "Connections served at once; more are closed on accept")
        int mqttMaxConnections() default 1000;

        @AttributeDefinition(description = "The hub name clients must use in user names and SAS tokens; empty: the "
                + "IoT Hub host name modules are told (outpost-security's iotHubHostName)")
        String mqttHubHostName() default "";

        @AttributeDefinition(description = "PEM file of CAs that may issue leaf device certificates (X509_CA "
                + "identities), besides the edge CA; empty: the edge CA only")
        String mqttClientCaFile() default "";

        @AttributeDefinition(description = "Connections served at once from one remote address (modules on the host "
                + "network and leaf devices behind one NAT share one); more are closed on accept")
        int mqttMaxConnectionsPerAddress() default 64;

        @AttributeDefinition(description = "How far ahead of now, in seconds, a SAS token may expire; a token expiring "
                + "later is refused (default one year)")
        long mqttMaxTokenLifetimeSecs() default 31_536_000;
    }

    private final ArtemisMessageStore store;
    private final StoreSettings settings;
    private final MqttSettings mqtt;
    private final ScheduledExecutorService sweeper;
    private final ModuleInputDelivery sender;

    /** The cloud link, while one is configured: {@code $upstream} is delivered through it. */
    @Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC,
            policyOption = ReferencePolicyOption.GREEDY)
    private volatile UpstreamSender upstream;

    @Activate
    public MessageStoreComponent(@Reference Clock clock, Config config, BundleContext context) {
        this.settings = StoreSettings.from(config, context.getProperty("karaf.data"));
        this.mqtt = MqttSettings.from(config);
        this.store = ArtemisMessageStore.open(settings, clock);
        this.sender = new ModuleInputDelivery(config.deviceId().isBlank() ? hostName() : config.deviceId().trim());
        this.sweeper = Executors.newSingleThreadScheduledExecutor(DaemonThreads.named("outpost-store-sweeper"));
        sweeper.scheduleWithFixedDelay(this::sweep, SWEEP_PERIOD_SECONDS, SWEEP_PERIOD_SECONDS, TimeUnit.SECONDS);
    }

    private void sweep() {
        try {
            long removed = store.sweepExpired();
            if (removed > 0) {
                LOG.info("messages-expired count={} reason=ttl_expiry", removed);
            }
        } catch (RuntimeException e) {
            LOG.warn("expiry-sweep-failed", e);
        }
    }

    /** The embedded broker behind the store. */
    EmbeddedBroker broker() {
        return store.broker();
    }

    StoreSettings settings() {
        return settings;
    }

    /** Module-input delivery; the MQTT listener component attaches its server to it. */
    ModuleInputDelivery moduleInputs() {
        return sender;
    }

    MqttSettings mqttSettings() {
        return mqtt;
    }

    @Deactivate
    void deactivate() {
        sweeper.shutdownNow();
        try {
            if (!sweeper.awaitTermination(10, TimeUnit.SECONDS)) {
                LOG.warn("expiry-sweep-still-running");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } finally {
            store.close();
        }
    }

    @Override
    public String enqueue(String endpoint, Message message, int priority, Duration ttl) {
        return store.enqueue(endpoint, message, priority, ttl);
    }

    @Override
    public String enqueue(String endpoint, Message message, int priority) {
        return store.enqueue(endpoint, message, priority);
    }

    @Override
    public java.util.concurrent.CompletionStage<List<String>> enqueueAll(List<Placement> placements, Message message,
            String orderKey) {
        return store.enqueueAll(placements, message, orderKey);
    }

    @Override
    public List<StoredMessage> poll(String endpoint, int maxBatch, Duration timeout) throws InterruptedException {
        return store.poll(endpoint, maxBatch, timeout);
    }

    @Override
    public void wakeUp(String endpoint) {
        store.wakeUp(endpoint);
    }

    @Override
    public void ack(String endpoint, Collection<String> ids) {
        store.ack(endpoint, ids);
    }

    @Override
    public void release(String endpoint) {
        store.release(endpoint);
    }

    @Override
    public void setInvalid(String endpoint, Collection<String> ids, String reason) {
        store.setInvalid(endpoint, ids, reason);
    }

    @Override
    public List<DeadLetter> deadLetters(String endpoint, int max) {
        return store.deadLetters(endpoint, max);
    }

    @Override
    public QueueStats stats(String endpoint) {
        return store.stats(endpoint);
    }

    @Override
    public Set<String> endpoints() {
        return store.endpoints();
    }

    @Override
    public void send(String endpoint, StoredMessage message) {
        UpstreamSender link = upstream;
        if (link != null && Endpoints.UPSTREAM.equals(endpoint)) {
            link.send(message);
            return;
        }
        sender.send(endpoint, message);
    }

    /** Module inputs without blocking (a window of them awaiting PUBACKs); {@code $upstream} as {@link #send}. */
    @Override
    public java.util.concurrent.CompletionStage<Void> sendAsync(String endpoint, StoredMessage message) {
        if (Endpoints.UPSTREAM.equals(endpoint)) {
            return EndpointSender.super.sendAsync(endpoint, message);
        }
        return sender.sendAsync(endpoint, message);
    }

    private static String hostName() {
        try {
            return InetAddress.getLocalHost().getHostName();
        } catch (UnknownHostException e) {
            return "outpost-edge";
        }
    }
}

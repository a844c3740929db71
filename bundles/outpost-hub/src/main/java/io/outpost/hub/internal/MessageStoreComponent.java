package io.outpost.hub.internal;

import io.outpost.common.Clock;
import io.outpost.common.DaemonThreads;
import io.outpost.hub.DeadLetter;
import io.outpost.hub.Message;
import io.outpost.hub.MessageStore;
import io.outpost.hub.QueueStats;
import io.outpost.hub.StoredMessage;
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
import org.osgi.service.metatype.annotations.Designate;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Publishes the durable endpoint store as the {@link MessageStore} service, and nothing else: delivery out of the
 * store is {@link EndpointSenderComponent}'s. It owns the embedded broker: started on activation, stopped on
 * deactivation (a configuration change restarts it), and a sweep that removes expired messages every
 * {@link #SWEEP_PERIOD_SECONDS} seconds. Its settings are the store's of {@link HubConfig} (the configuration it
 * shares with the hub's other components, and whose metatype it declares).
 */
@Component(immediate = true, service = MessageStore.class, configurationPid = HubConfig.PID,
        configurationPolicy = ConfigurationPolicy.OPTIONAL)
@Designate(ocd = HubConfig.class)
public class MessageStoreComponent implements MessageStore {

    static final String PID = HubConfig.PID;
    static final long SWEEP_PERIOD_SECONDS = 60;
    private static final Logger LOG = LoggerFactory.getLogger(MessageStoreComponent.class);

    private final ArtemisMessageStore store;
    private final ScheduledExecutorService sweeper;

    @Activate
    public MessageStoreComponent(@Reference Clock clock, HubConfig config, BundleContext context) {
        StoreSettings settings = StoreSettings.from(config, context.getProperty("karaf.data"));
        this.store = ArtemisMessageStore.open(settings, clock);
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
    public void awaitWakeUp(String endpoint, Duration timeout) throws InterruptedException {
        store.awaitWakeUp(endpoint, timeout);
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
}

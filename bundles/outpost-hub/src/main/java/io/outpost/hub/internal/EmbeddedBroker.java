package io.outpost.hub.internal;

import io.outpost.hub.Priorities;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.HexFormat;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.activemq.artemis.api.core.QueueConfiguration;
import org.apache.activemq.artemis.api.core.RoutingType;
import org.apache.activemq.artemis.api.core.SimpleString;
import org.apache.activemq.artemis.api.core.TransportConfiguration;
import org.apache.activemq.artemis.api.core.client.ActiveMQClient;
import org.apache.activemq.artemis.api.core.client.ClientSession;
import org.apache.activemq.artemis.api.core.client.ClientSessionFactory;
import org.apache.activemq.artemis.api.core.client.ServerLocator;
import org.apache.activemq.artemis.core.config.impl.ConfigurationImpl;
import org.apache.activemq.artemis.core.remoting.impl.invm.InVMAcceptorFactory;
import org.apache.activemq.artemis.core.remoting.impl.invm.InVMConnectorFactory;
import org.apache.activemq.artemis.core.remoting.impl.invm.TransportConstants;
import org.apache.activemq.artemis.core.server.ActiveMQServer;
import org.apache.activemq.artemis.core.server.ActiveMQServers;
import org.apache.activemq.artemis.core.server.JournalType;
import org.apache.activemq.artemis.core.server.Queue;
import org.apache.activemq.artemis.core.server.impl.AddressInfo;
import org.apache.activemq.artemis.core.settings.impl.AddressFullMessagePolicy;
import org.apache.activemq.artemis.core.settings.impl.AddressSettings;

/**
 * The embedded Artemis broker behind the store: persistence on, an NIO journal (no native library needed)
 * synced before a durable send is confirmed (commits, which only settle deliveries, are not waited for: a lost
 * acknowledgement means a message delivered once more), everything under one data directory, and an in-VM
 * acceptor and no network acceptor: the broker is the hub's store only (clients talk to the IoT Hub dialect server
 * of {@code outpost-iothub}). Security is on and {@link HubSecurityManager} lets in in-VM sessions only. The hub's
 * own sessions log in as the broker's internal user with a password drawn at random when the broker starts and kept
 * in memory only, which the broker trusts without an authorization check per send (a check that cost about a tenth
 * of the hub's CPU per message); any other session is authorized per operation and refused. Other hub components
 * in this bundle reach it through {@link #server()} and {@link #createSession}.
 */
final class EmbeddedBroker implements AutoCloseable {

    /** Memory an endpoint address may use before the broker pages its messages to disk. */
    static final long MEMORY_PER_ADDRESS_BYTES = 8L * 1024 * 1024;
    private static final AtomicInteger NEXT_SERVER_ID = new AtomicInteger();

    static final int JOURNAL_BUFFER_TIMEOUT_NANOS = 500_000;
    /** Bytes of sends a writing session may have awaiting the broker's confirmation. */
    static final int CONFIRMATION_WINDOW_BYTES = 1 << 20;

    private final ActiveMQServer server;
    private final ServerLocator locator;
    private final ClientSessionFactory sessionFactory;
    private final ServerLocator writeLocator;
    private final ClientSessionFactory writeFactory;
    private final HubSecurityManager security;
    /** The internal user's password: random per start, in memory only. */
    private final String internalPassword;

    private EmbeddedBroker(ActiveMQServer server, HubSecurityManager security, String internalPassword,
            ServerLocator locator, ClientSessionFactory sessionFactory, ServerLocator writeLocator,
            ClientSessionFactory writeFactory) {
        this.server = server;
        this.internalPassword = internalPassword;
        this.security = security;
        this.locator = locator;
        this.sessionFactory = sessionFactory;
        this.writeLocator = writeLocator;
        this.writeFactory = writeFactory;
    }

    /** Starts a broker on {@code dataDir}, recovering whatever its journal holds. */
    static EmbeddedBroker start(Path dataDir) throws Exception {
        Files.createDirectories(dataDir);
        int serverId = NEXT_SERVER_ID.incrementAndGet();
        Map<String, Object> inVm = Map.of(TransportConstants.SERVER_ID_PROP_NAME, serverId);
        HubSecurityManager security = new HubSecurityManager();
        byte[] secret = new byte[32];
        new SecureRandom().nextBytes(secret);
        String internalPassword = HexFormat.of().formatHex(secret);
        ActiveMQServer server = ActiveMQServers.newActiveMQServer(configuration(dataDir, inVm, internalPassword),
                java.lang.management.ManagementFactory.getPlatformMBeanServer(), security);
        ClassLoader previous = Thread.currentThread().getContextClassLoader();
        Thread.currentThread().setContextClassLoader(ActiveMQServer.class.getClassLoader());
        try {
            server.start();
            ServerLocator locator = ActiveMQClient.createServerLocatorWithoutHA(
                    new TransportConfiguration(InVMConnectorFactory.class.getName(), inVm))
                    .setBlockOnDurableSend(true)
                    .setBlockOnAcknowledge(false)
                    .setConsumerWindowSize(0)
                    .setAckBatchSize(0);
            // writing sessions send without blocking; the broker confirms each durable send once it is synced
            // to the journal, which syncs the sends that arrive together at once (group commit)
            ServerLocator writeLocator = ActiveMQClient.createServerLocatorWithoutHA(
                    new TransportConfiguration(InVMConnectorFactory.class.getName(), inVm))
                    .setBlockOnDurableSend(false)
                    .setConfirmationWindowSize(CONFIRMATION_WINDOW_BYTES);
            return new EmbeddedBroker(server, security, internalPassword, locator, locator.createSessionFactory(),
                    writeLocator, writeLocator.createSessionFactory());
        } catch (Exception e) {
            server.stop();
            throw e;
        } finally {
            Thread.currentThread().setContextClassLoader(previous);
        }
    }

    private static ConfigurationImpl configuration(Path dataDir, Map<String, Object> inVm, String internalPassword) {
        Path dir = dataDir.toAbsolutePath();
        ConfigurationImpl config = new ConfigurationImpl();
        config.setName("outpost-hub")
                .setPersistenceEnabled(true)
                .setSecurityEnabled(true)
                // only in-VM sessions get in (HubSecurityManager); the hub's own log in as the internal user, whose
                // operations the broker does not check one by one
                .setClusterUser(HubSecurityManager.INTERNAL_USER)
                .setClusterPassword(internalPassword)
                .setJMXManagementEnabled(false)
                .setJournalType(JournalType.NIO)
                // the journal flushes and syncs what was written within this time together; the NIO default
                // (3.3 ms) adds up to that to every acknowledgement, and at 0.5 ms syncs still group many writes
                .setJournalBufferTimeout_NIO(JOURNAL_BUFFER_TIMEOUT_NANOS)
                // only the endpoint consumers' commits (acknowledgements, dead-letter moves) are transactions: they
                // are written in order but not waited for, so a pump never waits for a sync
                .setJournalSyncTransactional(false)
                .setJournalDirectory(dir.resolve("journal").toString())
                .setBindingsDirectory(dir.resolve("bindings").toString())
                .setPagingDirectory(dir.resolve("paging").toString())
                .setLargeMessagesDirectory(dir.resolve("large-messages").toString())
                .addAcceptorConfiguration(new TransportConfiguration(InVMAcceptorFactory.class.getName(), inVm));
        AddressSettings outpost = new AddressSettings()
                .setMaxSizeBytes(MEMORY_PER_ADDRESS_BYTES)
                .setAddressFullMessagePolicy(AddressFullMessagePolicy.PAGE)
                .setMaxDeliveryAttempts(-1)
                // Never used: delivery attempts are unlimited and messages carry no broker expiration (Outpost's
                // clock decides expiry). Named so that the broker does not warn about their absence.
                .setDeadLetterAddress(SimpleString.of("outpost.broker.deadletter"))
                .setExpiryAddress(SimpleString.of("outpost.broker.expired"))
                .setRedeliveryDelay(0)
                .setAutoDeleteQueues(false)
                .setAutoDeleteAddresses(false);
        config.addAddressSetting("outpost.#", outpost);
        return config;
    }

    /** Creates the endpoint's address, its priority queues and its dead-letter queue, unless they exist. */
    void ensureEndpoint(EndpointNames names) throws Exception {
        server.addAddressInfo(new AddressInfo(SimpleString.of(names.address()), RoutingType.MULTICAST));
        for (int p = Priorities.HIGHEST; p <= Priorities.LOWEST; p++) {
            server.createQueue(QueueConfiguration.of(names.queue(p)).setAddress(names.address())
                    .setRoutingType(RoutingType.MULTICAST).setDurable(true)
                    .setFilterString("AMQPriority = " + MessageCodec.artemisPriority(p)), true);
        }
        server.addAddressInfo(new AddressInfo(SimpleString.of(names.deadLetterAddress()), RoutingType.ANYCAST));
        server.createQueue(QueueConfiguration.of(names.deadLetterAddress()).setAddress(names.deadLetterAddress())
                .setRoutingType(RoutingType.ANYCAST).setDurable(true), true);
    }

    /** The endpoints whose addresses exist in the broker (recovered from the journal after a restart). */
    Set<String> endpoints() {
        Set<String> endpoints = new TreeSet<>();
        for (SimpleString address : server.getPostOffice().getAddresses()) {
            EndpointNames.endpointOf(address.toString()).ifPresent(endpoints::add);
        }
        return endpoints;
    }

    /** The broker's queue of this name; it must exist. */
    Queue queue(String name) {
        Queue queue = server.locateQueue(name);
        if (queue == null) {
            throw new IllegalStateException("queue does not exist: " + name);
        }
        return queue;
    }

    /**
     * The broker's queue of this name, after it took in the messages just routed to it: the broker's counters
     * include a message only once the queue's executor has moved it from its intake list.
     */
    Queue settledQueue(String name) {
        Queue queue = queue(name);
        queue.deliverAsync();
        queue.flushExecutor();
        return queue;
    }

    /** A new started session: transacted (sends and acks committed together) or auto-committing. */
    ClientSession createSession(boolean transacted) throws Exception {
        ClientSession session = sessionFactory.createSession(HubSecurityManager.INTERNAL_USER, internalPassword,
                false, !transacted, !transacted, false, locator.getAckBatchSize());
        session.start();
        return session;
    }

    /**
     * A new started session for durable writes that do not block: each send is confirmed to its handler once the
     * broker has it on disk.
     */
    ClientSession createWriteSession() throws Exception {
        ClientSession session = writeFactory.createSession(HubSecurityManager.INTERNAL_USER, internalPassword, false,
                true, true, false, writeLocator.getAckBatchSize());
        session.start();
        return session;
    }

    ActiveMQServer server() {
        return server;
    }

    HubSecurityManager security() {
        return security;
    }

    @Override
    public void close() throws Exception {
        try {
            writeFactory.close();
            writeLocator.close();
            sessionFactory.close();
            locator.close();
        } finally {
            server.stop();
        }
    }
}

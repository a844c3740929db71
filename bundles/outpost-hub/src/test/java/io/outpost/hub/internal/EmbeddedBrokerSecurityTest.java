package io.outpost.hub.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.nio.file.Path;
import org.apache.activemq.artemis.api.core.ActiveMQClusterSecurityException;
import org.apache.activemq.artemis.api.core.TransportConfiguration;
import org.apache.activemq.artemis.api.core.client.ActiveMQClient;
import org.apache.activemq.artemis.api.core.client.ClientConsumer;
import org.apache.activemq.artemis.api.core.client.ClientMessage;
import org.apache.activemq.artemis.api.core.client.ClientSession;
import org.apache.activemq.artemis.api.core.client.ClientSessionFactory;
import org.apache.activemq.artemis.api.core.client.ServerLocator;
import org.apache.activemq.artemis.core.remoting.impl.invm.InVMConnectorFactory;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The store broker's sessions: the hub's own log in as the internal user; that user's password is not guessable. */
class EmbeddedBrokerSecurityTest {

    @TempDir
    Path dir;
    private EmbeddedBroker broker;
    private ServerLocator locator;

    @BeforeEach
    void start() throws Exception {
        broker = EmbeddedBroker.start(dir);
        broker.ensureEndpoint(EndpointNames.of("module/in"));
        TransportConfiguration acceptor = broker.server().getConfiguration().getAcceptorConfigurations().iterator()
                .next();
        locator = ActiveMQClient.createServerLocatorWithoutHA(
                new TransportConfiguration(InVMConnectorFactory.class.getName(), acceptor.getParams()));
    }

    @AfterEach
    void stop() throws Exception {
        locator.close();
        broker.close();
    }

    @Test
    void hubSessionsWriteAndReadAsTheInternalUser() throws Exception {
        EndpointNames names = EndpointNames.of("module/in");
        try (ClientSession session = broker.createSession(false)) {
            ClientMessage message = session.createMessage(true);
            message.setPriority(MessageCodec.artemisPriority(0));
            message.getBodyBuffer().writeString("hello");
            session.createProducer(names.address()).send(message);
            try (ClientConsumer consumer = session.createConsumer(names.queue(0))) {
                ClientMessage received = consumer.receive(5_000);
                assertNotNull(received, "the message sent by the hub's session");
                assertEquals("hello", received.getBodyBuffer().readString());
                received.acknowledge();
            }
        }
    }

    @Test
    void theInternalUserWithAnotherPasswordIsRefused() throws Exception {
        try (ClientSessionFactory factory = locator.createSessionFactory()) {
            assertThrows(ActiveMQClusterSecurityException.class, () -> factory.createSession(HubSecurityManager.INTERNAL_USER,
                    "not-the-password", false, true, true, false, 0));
        }
    }
}

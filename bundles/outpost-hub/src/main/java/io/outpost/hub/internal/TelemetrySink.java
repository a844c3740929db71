package io.outpost.hub.internal;

import org.apache.activemq.artemis.api.core.Message;
import org.apache.activemq.artemis.core.server.ServerSession;
import org.apache.activemq.artemis.core.server.plugin.ActiveMQServerMessagePlugin;
import org.apache.activemq.artemis.core.transaction.Transaction;

/**
 * Sends whatever a network client publishes to {@link EmbeddedBroker#TELEMETRY_SINK}: the MQTT listener's
 * interceptor lets through only the client's own telemetry, which it has already handed to the router, so the
 * broker itself must neither store it nor create an address per topic.
 */
final class TelemetrySink implements ActiveMQServerMessagePlugin {

    @Override
    public void beforeSend(ServerSession session, Transaction tx, Message message, boolean direct,
            boolean noAutoCreateQueue) {
        if (session != null && session.getRemotingConnection() != null
                && HubSecurityManager.identityOf(session.getRemotingConnection().getSubject()).isPresent()) {
            message.setAddress(EmbeddedBroker.TELEMETRY_SINK);
        }
    }
}

package io.outpost.hub.internal;

import java.util.Optional;
import java.util.Set;
import javax.security.auth.Subject;
import org.apache.activemq.artemis.core.remoting.impl.invm.InVMConnection;
import org.apache.activemq.artemis.core.security.CheckType;
import org.apache.activemq.artemis.core.security.Role;
import org.apache.activemq.artemis.spi.core.protocol.RemotingConnection;
import org.apache.activemq.artemis.spi.core.security.ActiveMQSecurityManager5;
import org.apache.activemq.artemis.spi.core.security.jaas.UserPrincipal;

/**
 * The broker's security: the hub's own in-VM sessions may do anything; a network client is authenticated by the
 * {@link ClientAuthenticator} the MQTT listener installs (none installed: every network client is refused) and
 * may only send to {@link EmbeddedBroker#TELEMETRY_SINK}, where its telemetry lands after the hub routed it.
 * Everything else (subscriptions included, for now) is refused.
 */
final class HubSecurityManager implements ActiveMQSecurityManager5 {

    static final String INTERNAL_USER = "outpost-hub";

    private volatile ClientAuthenticator authenticator;

    void authenticator(ClientAuthenticator authenticator) {
        this.authenticator = authenticator;
    }

    @Override
    public Subject authenticate(String user, String password, RemotingConnection connection, String securityDomain) {
        if (connection == null || connection.getTransportConnection() instanceof InVMConnection) {
            return subject(new UserPrincipal(INTERNAL_USER), null);
        }
        ClientAuthenticator current = authenticator;
        if (current == null) {
            return null;
        }
        Optional<ClientIdentity> identity = current.authenticate(connection.getClientID(), user, password,
                connection.getRemoteAddress());
        return identity.map(id -> subject(new UserPrincipal(id.getName()), id)).orElse(null);
    }

    private static Subject subject(UserPrincipal user, ClientIdentity identity) {
        Subject subject = new Subject();
        subject.getPrincipals().add(user);
        if (identity != null) {
            subject.getPrincipals().add(identity);
        }
        return subject;
    }

    /** The identity of an authenticated network client, or empty for the hub's own sessions and strangers. */
    static Optional<ClientIdentity> identityOf(Subject subject) {
        if (subject == null) {
            return Optional.empty();
        }
        return subject.getPrincipals(ClientIdentity.class).stream().findFirst();
    }

    private static boolean internal(Subject subject) {
        return subject != null && identityOf(subject).isEmpty()
                && subject.getPrincipals(UserPrincipal.class).stream().anyMatch(p -> INTERNAL_USER.equals(p.getName()));
    }

    @Override
    public boolean authorize(Subject subject, Set<Role> roles, CheckType checkType, String address) {
        if (internal(subject)) {
            return true;
        }
        return identityOf(subject).isPresent() && checkType == CheckType.SEND
                && EmbeddedBroker.TELEMETRY_SINK.equals(address);
    }

    @Override
    public boolean validateUser(String user, String password) {
        return false;
    }

    @Override
    public boolean validateUserAndRole(String user, String password, Set<Role> roles, CheckType checkType) {
        return false;
    }
}

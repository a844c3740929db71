package io.outpost.hub.internal;

import java.util.Set;
import javax.security.auth.Subject;
import org.apache.activemq.artemis.core.remoting.impl.invm.InVMConnection;
import org.apache.activemq.artemis.core.security.CheckType;
import org.apache.activemq.artemis.core.security.Role;
import org.apache.activemq.artemis.spi.core.protocol.RemotingConnection;
import org.apache.activemq.artemis.spi.core.security.ActiveMQSecurityManager5;
import org.apache.activemq.artemis.spi.core.security.jaas.UserPrincipal;

/**
 * The broker's security: the broker is the hub's store only, so the hub's own in-VM sessions may do anything and
 * any other connection is refused (the broker has no network acceptor; this holds should one ever be added).
 */
final class HubSecurityManager implements ActiveMQSecurityManager5 {

    static final String INTERNAL_USER = "outpost-hub";

    @Override
    public Subject authenticate(String user, String password, RemotingConnection connection, String securityDomain) {
        if (connection == null || connection.getTransportConnection() instanceof InVMConnection) {
            Subject subject = new Subject();
            subject.getPrincipals().add(new UserPrincipal(INTERNAL_USER));
            return subject;
        }
        return null;
    }

    @Override
    public boolean authorize(Subject subject, Set<Role> roles, CheckType checkType, String address) {
        return subject != null && subject.getPrincipals(UserPrincipal.class).stream()
                .anyMatch(p -> INTERNAL_USER.equals(p.getName()));
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

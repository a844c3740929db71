package io.outpost.hub;

import java.util.List;
import org.osgi.annotation.versioning.ProviderType;

/** The modules and leaf devices connected to the hub's listeners now. */
@ProviderType
public interface ConnectedClients {

    /** Every authenticated connection, sorted by identity. */
    List<ClientConnection> list();
}

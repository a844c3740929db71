package io.outpost.cloud.shell;

import io.outpost.cloud.DeviceRegistry;
import org.apache.karaf.shell.api.action.Action;
import org.apache.karaf.shell.api.action.Command;
import org.apache.karaf.shell.api.action.lifecycle.Reference;
import org.apache.karaf.shell.api.action.lifecycle.Service;
import org.osgi.framework.BundleContext;

/** {@code cloud:version}: the Outpost Cloud version; answers once the cloud's store is open. */
@Service
@Command(scope = "cloud", name = "version", description = "Shows the Outpost Cloud version")
public class VersionCommand implements Action {

    @Reference
    BundleContext bundleContext;

    @Reference
    DeviceRegistry registry;

    @Override
    public Object execute() {
        System.out.println("Outpost Cloud " + bundleContext.getBundle().getVersion());
        System.out.println("Karaf   " + System.getProperty("karaf.version", "unknown"));
        System.out.println("Java    " + System.getProperty("java.vendor") + " " + System.getProperty("java.version"));
        System.out.println("Devices " + registry.list().size());
        return null;
    }
}

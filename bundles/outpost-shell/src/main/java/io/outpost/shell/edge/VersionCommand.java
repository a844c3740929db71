package io.outpost.shell.edge;

import io.outpost.common.Clock;
import org.apache.karaf.shell.api.action.Action;
import org.apache.karaf.shell.api.action.Command;
import org.apache.karaf.shell.api.action.lifecycle.Reference;
import org.apache.karaf.shell.api.action.lifecycle.Service;
import org.osgi.framework.BundleContext;

/** {@code edge:version}: the Outpost version, the Karaf and Java it runs on, and the platform. */
@Service
@Command(scope = "edge", name = "version", description = "Shows the Outpost version and the platform it runs on")
public class VersionCommand implements Action {

    @Reference
    BundleContext bundleContext;

    @Reference
    Clock clock;

    @Override
    public Object execute() {
        System.out.println("Outpost " + bundleContext.getBundle().getVersion());
        System.out.println("Karaf   " + System.getProperty("karaf.version", "unknown"));
        System.out.println("Java    " + System.getProperty("java.vendor") + " " + System.getProperty("java.version"));
        System.out.println("OS      " + System.getProperty("os.name") + " " + System.getProperty("os.version")
                + " " + System.getProperty("os.arch"));
        System.out.println("Time    " + clock.now());
        return null;
    }
}

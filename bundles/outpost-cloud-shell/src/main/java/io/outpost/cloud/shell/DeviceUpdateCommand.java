package io.outpost.cloud.shell;

import io.outpost.cloud.CloudErrorCode;
import io.outpost.cloud.Device;
import io.outpost.cloud.DeviceAuth;
import io.outpost.cloud.DeviceRegistry;
import io.outpost.cloud.Ids;
import io.outpost.cloud.web.CloudJson;
import io.outpost.cloud.web.FieldException;
import io.outpost.common.OutpostException;
import java.util.Optional;
import org.apache.karaf.shell.api.action.Action;
import org.apache.karaf.shell.api.action.Argument;
import org.apache.karaf.shell.api.action.Command;
import org.apache.karaf.shell.api.action.Completion;
import org.apache.karaf.shell.api.action.Option;
import org.apache.karaf.shell.api.action.lifecycle.Reference;
import org.apache.karaf.shell.api.action.lifecycle.Service;

/**
 * {@code cloud:device-update <id>}: changes a device's credentials (new SAS keys, given SAS keys, or X.509
 * thumbprints), its status and/or its parent (the edge device whose scope it is in), keeping its twin, modules,
 * history and telemetry; prints it with its keys.
 */
@Service
@Command(scope = "cloud", name = "device-update",
        description = "Changes a device's credentials (rotate SAS keys, replace X.509 thumbprints), status or parent")
public class DeviceUpdateCommand implements Action {

    @Argument(index = 0, name = "deviceId", description = "The device id", required = true)
    @Completion(DeviceCompleter.class)
    String deviceId;

    @Option(name = "--regenerate-keys", description = "Authenticate with two new random SAS keys")
    boolean regenerate;

    @Option(name = "--primary-key", description = "Authenticate with these SAS keys: the primary (base64, 16 bytes or more); "
            + "needs --secondary-key")
    String primaryKey;

    @Option(name = "--secondary-key", description = "The secondary SAS key (base64, 16 bytes or more)")
    String secondaryKey;

    @Option(name = "--x509", description = "Authenticate with X.509: the certificate's SHA-1 or SHA-256 thumbprint (hex)")
    String x509;

    @Option(name = "--x509-secondary", description = "A second X.509 thumbprint (with --x509)")
    String x509Secondary;

    @Option(name = "--enable", description = "Enable the device")
    boolean enable;

    @Option(name = "--disable", description = "Disable the device")
    boolean disable;

    @Option(name = "--parent", description = "Move the device into the scope of this edge device (itself without "
            + "parent): the edge's keys may then also connect for it")
    @Completion(DeviceCompleter.class)
    String parent;

    @Option(name = "--no-parent", description = "Take the device out of its edge device's scope")
    boolean noParent;

    @Reference
    DeviceRegistry registry;

    @Override
    public Object execute() {
        int kinds = (regenerate ? 1 : 0) + (primaryKey != null || secondaryKey != null ? 1 : 0) + (x509 != null ? 1 : 0);
        if (kinds > 1) {
            throw new IllegalArgumentException("give one of --regenerate-keys, --primary-key/--secondary-key, --x509");
        }
        if (x509Secondary != null && x509 == null) {
            throw new IllegalArgumentException("--x509-secondary needs --x509");
        }
        if (enable && disable) {
            throw new IllegalArgumentException("give --enable or --disable, not both");
        }
        if (parent != null && noParent) {
            throw new IllegalArgumentException("give --parent or --no-parent, not both");
        }
        if (kinds == 0 && !enable && !disable && parent == null && !noParent) {
            throw new IllegalArgumentException("nothing to change: give --regenerate-keys, --primary-key and "
                    + "--secondary-key, --x509, --enable, --disable, --parent or --no-parent");
        }
        if (parent != null) {
            try {
                Ids.device(parent);
            } catch (OutpostException e) {
                throw new IllegalArgumentException("--parent: " + e.getMessage(), e);
            }
        }
        DeviceAuth auth = null;
        try {
            if (regenerate) {
                auth = CloudJson.generateKeys();
            } else if (primaryKey != null || secondaryKey != null) {
                auth = CloudJson.symmetricKeys(primaryKey, secondaryKey);
            } else if (x509 != null) {
                auth = CloudJson.thumbprints(x509, x509Secondary);
            }
        } catch (FieldException e) {
            throw new IllegalArgumentException(option(e.field()) + ": " + e.getMessage(), e);
        }
        Device d = registry.get(deviceId).orElseThrow(() ->
                new OutpostException(CloudErrorCode.NOT_FOUND, "no device '" + deviceId + "'"));
        if (parent != null || noParent) {
            d = setParent(d);
        }
        if (auth != null) {
            d = registry.setAuth(d.id(), auth);
        }
        if (enable || disable) {
            d = registry.setEnabled(d.id(), enable);
        }
        System.out.println(CloudJson.device(d, true));
        return null;
    }

    /** Moves the device under {@link #parent}, or out of any scope; a refused parent names {@code --parent}. */
    private Device setParent(Device d) {
        try {
            return registry.setParent(d.id(), Optional.ofNullable(parent));
        } catch (OutpostException e) {
            if (e.getMessage() != null && e.getMessage().startsWith("parentId:")) {
                throw new OutpostException(e.errorCode(), "--parent:" + e.getMessage().substring("parentId:".length()),
                        e);
            }
            throw e;
        }
    }

    private static String option(String field) {
        if (field.endsWith("secondaryKey")) {
            return "--secondary-key";
        }
        if (field.endsWith("primaryKey")) {
            return "--primary-key";
        }
        return field.endsWith("secondaryThumbprint") ? "--x509-secondary" : "--x509";
    }
}

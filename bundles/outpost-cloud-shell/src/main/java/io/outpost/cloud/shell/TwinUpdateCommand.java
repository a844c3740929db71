package io.outpost.cloud.shell;

import io.outpost.cloud.FleetDeploymentService;
import io.outpost.cloud.TwinId;
import io.outpost.cloud.TwinService;
import io.outpost.cloud.web.CloudJson;
import java.util.OptionalLong;
import org.apache.karaf.shell.api.action.Action;
import org.apache.karaf.shell.api.action.Argument;
import org.apache.karaf.shell.api.action.Command;
import org.apache.karaf.shell.api.action.Completion;
import org.apache.karaf.shell.api.action.Option;
import org.apache.karaf.shell.api.action.lifecycle.Reference;
import org.apache.karaf.shell.api.action.lifecycle.Service;

/**
 * {@code cloud:twin-update <device> <json>}: merges tags and/or desired properties into a twin, as
 * {@code PATCH /api/v1/devices/{id}/twin} does; a tag change re-applies the fleet.
 */
@Service
@Command(scope = "cloud", name = "twin-update",
        description = "Merges {\"tags\": {...}, \"properties\": {\"desired\": {...}}} into a twin (null removes)")
public class TwinUpdateCommand implements Action {

    @Argument(index = 0, name = "deviceId", description = "The device id", required = true)
    @Completion(DeviceCompleter.class)
    String deviceId;

    @Argument(index = 1, name = "patch", description = "The change as JSON (quote it)", required = true)
    String patch;

    @Option(name = "--module", description = "Change this module's twin (desired properties only)")
    String module;

    @Option(name = "--if-version", description = "Refuse unless the twin is still at this version (its ETag)")
    long ifVersion = -1;

    @Reference
    TwinService twins;

    @Reference
    FleetDeploymentService deployments;

    @Override
    public Object execute() {
        TwinId id = module == null ? TwinId.device(deviceId) : TwinId.module(deviceId, module);
        OptionalLong expected = ifVersion < 0 ? OptionalLong.empty() : OptionalLong.of(ifVersion);
        System.out.println(CloudJson.twin(CloudJson.updateTwin(twins, deployments, id, patch, expected)));
        return null;
    }
}

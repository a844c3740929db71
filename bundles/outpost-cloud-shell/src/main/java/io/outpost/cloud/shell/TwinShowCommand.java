package io.outpost.cloud.shell;

import io.outpost.cloud.CloudErrorCode;
import io.outpost.cloud.TwinId;
import io.outpost.cloud.TwinService;
import io.outpost.cloud.web.CloudJson;
import io.outpost.common.OutpostException;
import org.apache.karaf.shell.api.action.Action;
import org.apache.karaf.shell.api.action.Argument;
import org.apache.karaf.shell.api.action.Command;
import org.apache.karaf.shell.api.action.Completion;
import org.apache.karaf.shell.api.action.Option;
import org.apache.karaf.shell.api.action.lifecycle.Reference;
import org.apache.karaf.shell.api.action.lifecycle.Service;

/** {@code cloud:twin-show <device> [--module M]}: a device or module twin as the REST API shows it. */
@Service
@Command(scope = "cloud", name = "twin-show", description = "Shows a device twin, or a module twin with --module")
public class TwinShowCommand implements Action {

    @Argument(index = 0, name = "deviceId", description = "The device id", required = true)
    @Completion(DeviceCompleter.class)
    String deviceId;

    @Option(name = "--module", description = "A module id ($edgeAgent, $edgeHub or a module)")
    String module;

    @Reference
    TwinService twins;

    @Override
    public Object execute() {
        TwinId id = module == null ? TwinId.device(deviceId) : TwinId.module(deviceId, module);
        System.out.println(CloudJson.twin(twins.get(id).orElseThrow(() ->
                new OutpostException(CloudErrorCode.NOT_FOUND, "no twin '" + id + "'"))));
        return null;
    }
}

package io.outpost.security;

import java.util.Objects;

/**
 * The host names a module or leaf device is told: the IoT Hub name its SAS tokens are issued for
 * ({@code HostName=} of a connection string, {@code IOTEDGE_IOTHUBHOSTNAME}) and the gateway it connects to
 * ({@code GatewayHostName=}, {@code IOTEDGE_GATEWAYHOSTNAME}).
 */
public record HubNames(String iotHubHostName, String gatewayHostName) {

    public HubNames {
        Objects.requireNonNull(iotHubHostName, "iotHubHostName");
        Objects.requireNonNull(gatewayHostName, "gatewayHostName");
    }

    /** The connection string of a leaf device with a SAS key, as Azure's device SDKs take it. */
    public String deviceConnectionString(String deviceId, String sharedAccessKey) {
        return "HostName=" + iotHubHostName + ";DeviceId=" + deviceId + ";SharedAccessKey=" + sharedAccessKey
                + ";GatewayHostName=" + gatewayHostName;
    }
}

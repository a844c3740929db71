package io.outpost.hub.internal;

import java.net.InetAddress;
import java.net.UnknownHostException;

/** The edge device's id as the hub names it ({@link HubConfig#deviceId()}, or the host name when that is empty). */
final class EdgeDeviceId {

    private EdgeDeviceId() {
    }

    static String of(HubConfig config) {
        return config.deviceId().isBlank() ? hostName() : config.deviceId().trim();
    }

    private static String hostName() {
        try {
            return InetAddress.getLocalHost().getHostName();
        } catch (UnknownHostException e) {
            return "outpost-edge";
        }
    }
}

package io.outpost.cloud;

/** Whether a device is connected to the cloud's device endpoint now. */
public enum ConnectionState {
    CONNECTED,
    DISCONNECTED
}

package io.outpost.cloud.shell;

import io.outpost.cloud.CloudMessaging;

/** What the commands that reach devices through the cloud's device endpoint share. */
final class Endpoint {

    private Endpoint() {
    }

    /**
     * The endpoint's messaging service, as the command's optional reference holds it.
     *
     * @throws IllegalStateException when the device endpoint is not running
     */
    static CloudMessaging running(CloudMessaging messaging) {
        if (messaging == null) {
            throw new IllegalStateException("the cloud's device endpoint is not running");
        }
        return messaging;
    }
}

package io.outpost.cloud;

/** Where a cloud-to-device message in a device's queue stands. */
public enum C2dState {
    /** Waiting for delivery (possibly sent already, without the device's PUBACK yet). */
    QUEUED,
    /** The device acknowledged it (PUBACK). */
    DELIVERED,
    /** Its time to live ran out before the device acknowledged it; never delivered after that. */
    EXPIRED,
    /** An operator emptied the queue before it was delivered. */
    PURGED;

    /** The lower-case name the REST API and the shell show. */
    public String label() {
        return name().toLowerCase(java.util.Locale.ROOT);
    }
}

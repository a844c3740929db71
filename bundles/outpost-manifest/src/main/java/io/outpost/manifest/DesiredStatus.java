package io.outpost.manifest;

/** Whether a module should run ({@code status} in the manifest). */
public enum DesiredStatus {
    RUNNING("running"),
    STOPPED("stopped");

    private final String wireName;

    DesiredStatus(String wireName) {
        this.wireName = wireName;
    }

    /** The spelling used in manifests and reported state. */
    public String wireName() {
        return wireName;
    }
}

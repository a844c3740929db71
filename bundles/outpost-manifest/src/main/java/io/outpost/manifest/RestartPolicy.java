package io.outpost.manifest;

/** When the agent restarts a module that is not running ({@code restartPolicy} in the manifest). */
public enum RestartPolicy {
    NEVER("never"),
    ON_FAILURE("on-failure"),
    ON_UNHEALTHY("on-unhealthy"),
    ALWAYS("always");

    private final String wireName;

    RestartPolicy(String wireName) {
        this.wireName = wireName;
    }

    /** The spelling used in manifests and reported state. */
    public String wireName() {
        return wireName;
    }
}

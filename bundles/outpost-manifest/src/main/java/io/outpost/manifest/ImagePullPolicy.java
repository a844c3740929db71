package io.outpost.manifest;

/** Whether the agent pulls a module's image when it creates the container ({@code imagePullPolicy}). */
public enum ImagePullPolicy {
    ON_CREATE("on-create"),
    NEVER("never");

    private final String wireName;

    ImagePullPolicy(String wireName) {
        this.wireName = wireName;
    }

    /** The spelling used in manifests and reported state. */
    public String wireName() {
        return wireName;
    }
}

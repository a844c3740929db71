package io.outpost.cloud;

/** The parts of a twin that a change touches. */
public enum TwinSection {
    TAGS("tags"),
    DESIRED("properties.desired"),
    REPORTED("properties.reported");

    private final String path;

    TwinSection(String path) {
        this.path = path;
    }

    /** The section's path in IoT Hub's twin JSON and in target conditions. */
    public String path() {
        return path;
    }
}

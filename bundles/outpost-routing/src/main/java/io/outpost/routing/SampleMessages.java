package io.outpost.routing;

import io.outpost.routing.internal.MessageJson;

/** Sample messages for trying routes ({@code edge:route-test}) without a running hub. */
public final class SampleMessages {

    private SampleMessages() {
    }

    /**
     * Reads {@code {"systemProperties":{...},"properties":{...},"body":<any JSON value, or a string>}}, the file
     * format of {@code outpost route eval}. Property values are strings (numbers and booleans are taken as their
     * text). A string body is the payload's text; any other JSON value is the payload as UTF-8 JSON. The sender
     * is the module named by {@code connectionModuleId} (with output {@code outputName}) when set, else the
     * device named by {@code connectionDeviceId} (else {@code device}).
     *
     * @throws IllegalArgumentException when the text is not such an object
     */
    public static RouteMessage fromJson(String json) {
        return MessageJson.read(json);
    }
}

package io.outpost.iothub;

/**
 * IoT Hub's MQTT message topics, each ending in a property bag ({@link IotHubProperties#encode}): telemetry a
 * device or module sends ({@code devices/<d>[/modules/<m>]/messages/events/<bag>}), a message to a module's input
 * ({@code devices/<d>/modules/<m>/inputs/<input>/<bag>}) and a cloud-to-device message
 * ({@code devices/<d>/messages/devicebound/<bag>}). Shared by the dialect server and its clients. The builders
 * only join their parts: checking the ids is the caller's ({@link ClientIdentity} does).
 */
public final class IotHubTopics {

    private IotHubTopics() {
    }

    /**
     * The telemetry topic of a device, or of one of its modules, with its bag.
     *
     * @param moduleId the module, or {@code null} (or empty) for the device itself
     */
    public static String telemetry(String deviceId, String moduleId, String bag) {
        return prefix(deviceId, moduleId) + "/messages/events/" + bag;
    }

    /** The topic of a message to a module's input: {@code devices/<d>/modules/<m>/inputs/<input>/<bag>}. */
    public static String moduleInput(String deviceId, String moduleId, String input, String bag) {
        return prefix(deviceId, moduleId) + "/inputs/" + input + "/" + bag;
    }

    /** The topic of a cloud-to-device message: {@code devices/<d>/messages/devicebound/<bag>}. */
    public static String deviceBound(String deviceId, String bag) {
        return deviceBoundPrefix(deviceId) + bag;
    }

    /** The cloud-to-device topics of a device before their bag: {@code devices/<d>/messages/devicebound/}. */
    public static String deviceBoundPrefix(String deviceId) {
        return prefix(deviceId, null) + "/messages/devicebound/";
    }

    private static String prefix(String deviceId, String moduleId) {
        return "devices/" + deviceId + (moduleId == null || moduleId.isEmpty() ? "" : "/modules/" + moduleId);
    }
}

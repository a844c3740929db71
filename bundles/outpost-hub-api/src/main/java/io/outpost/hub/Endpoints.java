package io.outpost.hub;

/**
 * Endpoint ids, the names of the hub's durable queues: {@value #UPSTREAM} for the cloud, and
 * {@code module/<module>/<input>} for a module's input ({@code BrokeredEndpoint("/modules/<m>/inputs/<i>")}).
 */
public final class Endpoints {

    /** The cloud (or a parent device). */
    public static final String UPSTREAM = "$upstream";
    private static final String MODULE_PREFIX = "module/";

    private Endpoints() {
    }

    /** The endpoint of a module's input. */
    public static String moduleInput(String module, String input) {
        if (module == null || module.isEmpty() || module.contains("/") || input == null || input.isEmpty()) {
            throw new IllegalArgumentException("a module input needs a module name without '/' and an input name: "
                    + module + "/" + input);
        }
        return MODULE_PREFIX + module + "/" + input;
    }

    /** Whether the endpoint is a module input. */
    public static boolean isModuleInput(String endpoint) {
        return endpoint.startsWith(MODULE_PREFIX) && endpoint.indexOf('/', MODULE_PREFIX.length()) > 0;
    }

    /** The module of a module-input endpoint. */
    public static String module(String endpoint) {
        requireModuleInput(endpoint);
        return endpoint.substring(MODULE_PREFIX.length(), endpoint.indexOf('/', MODULE_PREFIX.length()));
    }

    /** The input of a module-input endpoint. */
    public static String input(String endpoint) {
        requireModuleInput(endpoint);
        return endpoint.substring(endpoint.indexOf('/', MODULE_PREFIX.length()) + 1);
    }

    private static void requireModuleInput(String endpoint) {
        if (!isModuleInput(endpoint)) {
            throw new IllegalArgumentException("not a module input endpoint: " + endpoint);
        }
    }
}

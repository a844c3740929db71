package io.outpost.manifest.internal;

import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.regex.Pattern;

/**
 * What a module may be called: 1 to 128 ASCII letters, digits, {@code _} and {@code -}. Azure IoT Hub
 * accepts more characters in module identities, but a module's name also becomes a container name, a
 * directory and a route's source, where {@code .}, {@code ..} or {@code :} would be unsafe. Names starting
 * with {@code $} are reserved for the runtime, {@code edgeAgent}/{@code edgeHub} belong under
 * {@code systemModules}, and two modules may not differ only in case.
 */
final class ModuleNames {

    static final Set<String> SYSTEM = Set.of("edgeAgent", "edgeHub");

    private static final Pattern NAME = Pattern.compile("[a-zA-Z0-9_-]{1,128}");
    private static final Pattern CONTAINER = Pattern.compile("[A-Za-z0-9][A-Za-z0-9_.-]*");

    private ModuleNames() {
    }

    /** Why the name is refused, or {@code null} when it is allowed. */
    static String error(String name) {
        if (name.startsWith("$")) {
            return Json.quote(name) + " is not a module name; names starting with $ are reserved for the runtime";
        }
        if (!NAME.matcher(name).matches()) {
            return Json.quote(name) + " is not a module name; expected 1 to 128 ASCII letters, digits, '_' or '-'";
        }
        if (SYSTEM.contains(name)) {
            return Json.quote(name) + " is a system module; declare it under systemModules, not modules";
        }
        return null;
    }

    /** Whether a Docker container can carry the name as it is. */
    static boolean containerSafe(String name) {
        return CONTAINER.matcher(name).matches();
    }

    /**
     * Remembers the names seen so far, the system modules included, to refuse one that differs from an
     * earlier one only in case.
     */
    static final class Distinct {

        private final Map<String, String> byFoldedName = new TreeMap<>();

        Distinct() {
            SYSTEM.forEach(this::firstClash);
        }

        /** Records the name; the error naming both when an earlier name differs from it only in case, else null. */
        String clash(String name) {
            String earlier = firstClash(name);
            return earlier == null ? null : "modules " + Json.quote(earlier) + " and " + Json.quote(name)
                    + " differ only in case; module names must differ in more than case";
        }

        private String firstClash(String name) {
            return byFoldedName.putIfAbsent(name.toLowerCase(Locale.ROOT), name);
        }
    }
}

package io.outpost.manifest.internal;

import java.util.Set;
import java.util.regex.Pattern;

/**
 * What a module may be called. Azure IoT Hub accepts module identities of up to 128 ASCII letters, digits
 * and {@code - : . + % _ # * ? ! ( ) , = @ ; $ '}; names starting with {@code $} are reserved for the
 * runtime, and {@code edgeAgent}/{@code edgeHub} belong under {@code systemModules}.
 */
final class ModuleNames {

    static final Set<String> SYSTEM = Set.of("edgeAgent", "edgeHub");

    private static final Pattern IOT_HUB = Pattern.compile("[A-Za-z0-9\\-:.+%_#*?!(),=@;$']{1,128}");
    private static final Pattern CONTAINER = Pattern.compile("[A-Za-z0-9][A-Za-z0-9_.-]*");

    private ModuleNames() {
    }

    /** Why the name is refused, or {@code null} when it is allowed. */
    static String error(String name) {
        if (!IOT_HUB.matcher(name).matches()) {
            return Json.quote(name) + " is not a module name; expected 1 to 128 ASCII letters, digits or "
                    + "- : . + % _ # * ? ! ( ) , = @ ; $ '";
        }
        if (name.startsWith("$")) {
            return Json.quote(name) + " is not a module name; names starting with $ are reserved for the runtime";
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
}

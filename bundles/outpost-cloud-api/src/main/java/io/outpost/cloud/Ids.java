package io.outpost.cloud;

import io.outpost.common.OutpostException;
import java.util.regex.Pattern;

/**
 * The id rules of IoT Hub: device ids up to 128 characters of letters, digits and {@code -.%_*?!(),:=@$'+};
 * module ids the same, where {@code $edgeAgent} and {@code $edgeHub} are the system modules; deployment ids
 * up to 128 lower-case letters, digits and {@code -:+%_#*?!(),=@;$'}.
 */
public final class Ids {

    private static final Pattern DEVICE = Pattern.compile("[A-Za-z0-9\\-.%_*?!(),:=@$'+]{1,128}");
    private static final Pattern DEPLOYMENT = Pattern.compile("[a-z0-9\\-:+%_#*?!(),=@;$']{1,128}");

    private Ids() {
    }

    public static String device(String id) {
        return check(id, DEVICE, "device id");
    }

    public static String module(String id) {
        return check(id, DEVICE, "module id");
    }

    public static String deployment(String id) {
        return check(id, DEPLOYMENT, "deployment id");
    }

    private static String check(String id, Pattern pattern, String what) {
        if (id == null || !pattern.matcher(id).matches()) {
            throw new OutpostException(CloudErrorCode.INVALID_ARGUMENT,
                    "invalid " + what + " '" + id + "': expected 1 to 128 characters of " + pattern.pattern());
        }
        return id;
    }
}

package io.outpost.security;

import java.util.regex.Pattern;

/** IoT Hub's rule for device and module ids: 1 to 128 ASCII letters, digits and {@code - . + % _ # * ? ! ( ) , : = @ $ '}. */
final class IdentityIds {

    private static final Pattern ID = Pattern.compile("[A-Za-z0-9\\-.+%_#*?!(),:=@$']{1,128}");

    private IdentityIds() {
    }

    static void check(String id, String what) {
        if (id == null || !ID.matcher(id).matches()) {
            throw new IllegalArgumentException(what + " '" + id + "' is not allowed: 1 to 128 of letters, digits and "
                    + "- . + % _ # * ? ! ( ) , : = @ $ '");
        }
    }
}

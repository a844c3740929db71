package io.outpost.manifest.internal;

/** RFC 6901 JSON Pointers, built one reference token at a time. */
final class Pointers {

    private Pointers() {
    }

    /** The pointer to {@code token} inside the value at {@code parent}; escapes {@code ~} and {@code /}. */
    static String child(String parent, String token) {
        return parent + "/" + escape(token);
    }

    static String escape(String token) {
        if (token.indexOf('~') < 0 && token.indexOf('/') < 0) {
            return token;
        }
        return token.replace("~", "~0").replace("/", "~1");
    }
}

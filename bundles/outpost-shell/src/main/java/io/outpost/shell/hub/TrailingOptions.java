package io.outpost.shell.hub;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Options written after the arguments ({@code edge:route-add <name> '<route>' --priority 2}): Karaf's parser
 * takes options only before the first argument, so the commands collect what follows their arguments and read
 * {@code --name value} pairs from it here.
 */
final class TrailingOptions {

    private final Map<String, String> values = new HashMap<>();

    TrailingOptions(List<String> rest, Set<String> allowed) {
        if (rest == null) {
            return;
        }
        for (int i = 0; i < rest.size(); i++) {
            String name = rest.get(i);
            if (!allowed.contains(name)) {
                throw new IllegalArgumentException("unexpected argument " + name + "; options are " + allowed);
            }
            if (i + 1 >= rest.size()) {
                throw new IllegalArgumentException(name + ": needs a value");
            }
            values.put(name, rest.get(++i));
        }
    }

    String string(String name, String fallback) {
        return values.getOrDefault(name, fallback);
    }

    long number(String name, long fallback) {
        String v = values.get(name);
        if (v == null) {
            return fallback;
        }
        try {
            return Long.parseLong(v);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(name + ": not a whole number: " + v, e);
        }
    }
}

package io.outpost.routing.internal;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * A compiled JSON path such as {@code a.b[2].c}: names separated by dots, each optionally followed by
 * array indexes in brackets. Selecting walks the parsed body without allocating.
 */
final class BodyPath {

    private final Object[] steps;

    private BodyPath(Object[] steps) {
        this.steps = steps;
    }

    /**
     * Compiles {@code path}; {@code offset} is where it starts in the parsed text, for error columns.
     *
     * @throws io.outpost.routing.RouteSyntaxException when a name is empty or an index is not a number
     */
    static BodyPath compile(String path, int offset) {
        List<Object> steps = new ArrayList<>();
        int i = 0;
        while (true) {
            int start = i;
            while (i < path.length() && path.charAt(i) != '.' && path.charAt(i) != '[') {
                if (path.charAt(i) == ']') {
                    throw Errors.syntax(offset + i, "unexpected ']' in JSON path");
                }
                i++;
            }
            if (i == start) {
                throw Errors.syntax(offset + i, "expected a property name in JSON path '" + path + "'");
            }
            steps.add(path.substring(start, i));
            i = indexes(path, i, offset, steps);
            if (i == path.length()) {
                return new BodyPath(steps.toArray());
            }
            i++; // the '.'
        }
    }

    private static int indexes(String path, int i, int offset, List<Object> steps) {
        while (i < path.length() && path.charAt(i) == '[') {
            int close = path.indexOf(']', i);
            String digits = close < 0 ? "" : path.substring(i + 1, close);
            if (close < 0 || digits.isEmpty() || digits.length() > 9 || !digits.chars().allMatch(Character::isDigit)) {
                throw Errors.syntax(offset + i, "expected an array index such as [0] in JSON path '" + path + "'");
            }
            steps.add(Integer.parseInt(digits));
            i = close + 1;
        }
        if (i < path.length() && path.charAt(i) != '.') {
            throw Errors.syntax(offset + i, "expected '.' or '[' after ']' in JSON path '" + path + "'");
        }
        return i;
    }

    /** The value at this path, or {@link Values#UNDEFINED} when some step is missing. */
    Object select(Object root) {
        Object current = root;
        for (Object step : steps) {
            if (step instanceof String name && current instanceof Map<?, ?> map) {
                current = map.get(name);
            } else if (step instanceof Integer index && current instanceof List<?> list && index < list.size()) {
                current = list.get(index);
            } else {
                return Values.UNDEFINED;
            }
            if (current == null) {
                return Values.UNDEFINED;
            }
        }
        return current;
    }
}

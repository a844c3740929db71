package io.outpost.routing.internal;

import io.outpost.routing.RouteSource;
import io.outpost.routing.RouteSource.Kind;
import java.util.ArrayList;
import java.util.List;

/**
 * Reads the source path after FROM: it runs to the next whitespace. The fixed words ({@code messages},
 * {@code modules}, {@code outputs}, {@code twinChangeNotifications}) ignore case; module and output names
 * are matched exactly and may hold letters, digits, {@code -}, {@code _} and {@code .}.
 */
final class SourcePaths {

    private static final String FORMS = "/*, /messages/*, /messages/modules/*, /messages/modules/<m>, "
            + "/messages/modules/<m>/*, /messages/modules/<m>/outputs/*, /messages/modules/<m>/outputs/<o> "
            + "or /twinChangeNotifications";

    /** One path segment and its offset in the route text. */
    private record Segment(String text, int start) {
        boolean is(String word) {
            return text.equalsIgnoreCase(word);
        }
    }

    private SourcePaths() {
    }

    static int end(String text, int pos) {
        int end = pos;
        while (end < text.length() && !Character.isWhitespace(text.charAt(end))) {
            end++;
        }
        return end;
    }

    static RouteSource parse(String text, int pos) {
        if (pos >= text.length() || text.charAt(pos) != '/') {
            throw Errors.syntax(pos, "expected a source path after FROM: " + FORMS);
        }
        List<Segment> s = segments(text, pos, end(text, pos));
        Segment first = s.get(0);
        if (first.is("*")) {
            return only(s, 1, RouteSource.of(Kind.ALL));
        }
        if (first.is("twinChangeNotifications")) {
            return only(s, 1, RouteSource.of(Kind.TWIN_CHANGE_NOTIFICATIONS));
        }
        if (!first.is("messages")) {
            throw Errors.syntax(first.start(), "unknown source: expected " + FORMS);
        }
        Segment second = need(s, 1, "'*' or 'modules' after /messages/");
        if (second.is("*")) {
            return only(s, 2, RouteSource.of(Kind.ALL_MESSAGES));
        }
        if (!second.is("modules")) {
            throw Errors.syntax(second.start(), "expected '*' or 'modules' after /messages/");
        }
        Segment module = need(s, 2, "'*' or a module name after /messages/modules/");
        if (module.is("*")) {
            return only(s, 3, RouteSource.of(Kind.ALL_MODULES));
        }
        name(module, "module");
        return moduleSource(s, module.text());
    }

    private static RouteSource moduleSource(List<Segment> s, String module) {
        if (s.size() == 3) {
            return new RouteSource(Kind.MODULE, module, null);
        }
        Segment fourth = s.get(3);
        if (fourth.is("*")) {
            return only(s, 4, new RouteSource(Kind.MODULE_ALL, module, null));
        }
        if (!fourth.is("outputs")) {
            throw Errors.syntax(fourth.start(), "expected '*' or 'outputs' after /messages/modules/" + module + "/");
        }
        Segment output = need(s, 4, "'*' or an output name after /messages/modules/" + module + "/outputs/");
        if (output.is("*")) {
            return only(s, 5, new RouteSource(Kind.MODULE_OUTPUTS_ALL, module, null));
        }
        name(output, "output");
        return only(s, 5, new RouteSource(Kind.MODULE_OUTPUT, module, output.text()));
    }

    private static List<Segment> segments(String text, int start, int end) {
        List<Segment> list = new ArrayList<>();
        int i = start + 1;
        while (true) {
            int slash = text.indexOf('/', i);
            int stop = slash < 0 || slash > end ? end : slash;
            list.add(new Segment(text.substring(i, stop), i));
            if (stop == end) {
                return list;
            }
            i = stop + 1;
        }
    }

    private static Segment need(List<Segment> s, int index, String expected) {
        if (index >= s.size()) {
            Segment last = s.get(s.size() - 1);
            throw Errors.syntax(last.start() + last.text().length(), "expected " + expected);
        }
        Segment seg = s.get(index);
        if (seg.text().isEmpty()) {
            throw Errors.syntax(seg.start(), "expected " + expected);
        }
        return seg;
    }

    private static RouteSource only(List<Segment> s, int count, RouteSource source) {
        if (s.size() > count) {
            Segment extra = s.get(count);
            throw Errors.syntax(extra.start() - 1, "unexpected '/" + extra.text() + "' after " + source.text());
        }
        return source;
    }

    private static void name(Segment seg, String what) {
        String t = seg.text();
        for (int i = 0; i < t.length(); i++) {
            char c = t.charAt(i);
            if (!Character.isLetterOrDigit(c) && c != '-' && c != '_' && c != '.') {
                throw Errors.syntax(seg.start() + i, "invalid character '" + c + "' in " + what + " name");
            }
        }
    }
}

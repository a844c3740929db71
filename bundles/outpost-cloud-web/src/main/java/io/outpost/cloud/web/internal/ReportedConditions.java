package io.outpost.cloud.web.internal;

import java.util.regex.Pattern;

/** Whether a target condition refers to reported properties, outside its string literals. */
final class ReportedConditions {

    private static final Pattern REPORTED = Pattern.compile("(?<![A-Za-z0-9_$.-])properties\\s*\\.\\s*reported\\b");

    private ReportedConditions() {
    }

    static boolean uses(String condition) {
        return REPORTED.matcher(withoutStrings(condition)).find();
    }

    /** The condition with each {@code '...'} or {@code "..."} literal blanked (quote doubled or after {@code \}). */
    static String withoutStrings(String condition) {
        StringBuilder out = new StringBuilder(condition.length());
        char quote = 0;
        for (int i = 0; i < condition.length(); i++) {
            char c = condition.charAt(i);
            if (quote == 0) {
                if (c == '\'' || c == '"') {
                    quote = c;
                    out.append(' ');
                } else {
                    out.append(c);
                }
            } else if (c == '\\' && i + 1 < condition.length()) {
                i++;
                out.append("  ");
            } else if (c == quote && i + 1 < condition.length() && condition.charAt(i + 1) == quote) {
                i++;
                out.append("  ");
            } else {
                if (c == quote) {
                    quote = 0;
                }
                out.append(' ');
            }
        }
        return out.toString();
    }
}

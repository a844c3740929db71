package io.outpost.routing;

import java.util.Locale;
import java.util.Objects;

/**
 * The {@code FROM} part of a route, one of the eight forms of the language.
 *
 * @param kind   which form
 * @param module the module name for the {@code MODULE*} kinds, else {@code null}
 * @param output the output name for {@link Kind#MODULE_OUTPUT}, else {@code null}
 */
public record RouteSource(Kind kind, String module, String output) {

    /** The source forms; {@link #id()} is the stable name the CLI prints. */
    public enum Kind {
        /** {@code /*}: every message and every twin change notification. */
        ALL,
        /** {@code /messages/*}: messages from modules and leaf devices. */
        ALL_MESSAGES,
        /** {@code /messages/modules/*}: messages from any module. */
        ALL_MODULES,
        /** {@code /messages/modules/<m>}: every message of module m. */
        MODULE,
        /** {@code /messages/modules/<m>/*}: every message of module m. */
        MODULE_ALL,
        /** {@code /messages/modules/<m>/outputs/*}: messages module m sent on a named output. */
        MODULE_OUTPUTS_ALL,
        /** {@code /messages/modules/<m>/outputs/<o>}: messages module m sent on output o. */
        MODULE_OUTPUT,
        /** {@code /twinChangeNotifications}: twin change notifications only. */
        TWIN_CHANGE_NOTIFICATIONS;

        public String id() {
            return name().toLowerCase(Locale.ROOT).replace('_', '-');
        }

        boolean needsModule() {
            return this == MODULE || this == MODULE_ALL || this == MODULE_OUTPUTS_ALL || this == MODULE_OUTPUT;
        }
    }

    public RouteSource {
        Objects.requireNonNull(kind, "kind");
        if (kind.needsModule() != (module != null) || (module != null && module.isEmpty())) {
            throw new IllegalArgumentException("source " + kind.id() + " needs a module name exactly when it names one");
        }
        if ((kind == Kind.MODULE_OUTPUT) != (output != null) || (output != null && output.isEmpty())) {
            throw new IllegalArgumentException("only source module-output names an output");
        }
    }

    public static RouteSource of(Kind kind) {
        return new RouteSource(kind, null, null);
    }

    /** Whether a message from {@code source} is selected by this {@code FROM} clause. */
    public boolean matches(MessageSource source) {
        boolean fromModule = source.type() == MessageSource.Type.MODULE;
        return switch (kind) {
            case ALL -> true;
            case ALL_MESSAGES -> source.type() != MessageSource.Type.TWIN_CHANGE;
            case ALL_MODULES -> fromModule;
            case MODULE, MODULE_ALL -> fromModule && module.equals(source.id());
            case MODULE_OUTPUTS_ALL -> fromModule && module.equals(source.id()) && source.output() != null;
            case MODULE_OUTPUT -> fromModule && module.equals(source.id()) && output.equals(source.output());
            case TWIN_CHANGE_NOTIFICATIONS -> source.type() == MessageSource.Type.TWIN_CHANGE;
        };
    }

    /** The source written in the route language's canonical form. */
    public String text() {
        return switch (kind) {
            case ALL -> "/*";
            case ALL_MESSAGES -> "/messages/*";
            case ALL_MODULES -> "/messages/modules/*";
            case MODULE -> "/messages/modules/" + module;
            case MODULE_ALL -> "/messages/modules/" + module + "/*";
            case MODULE_OUTPUTS_ALL -> "/messages/modules/" + module + "/outputs/*";
            case MODULE_OUTPUT -> "/messages/modules/" + module + "/outputs/" + output;
            case TWIN_CHANGE_NOTIFICATIONS -> "/twinChangeNotifications";
        };
    }
}

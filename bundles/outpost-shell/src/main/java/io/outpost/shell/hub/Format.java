package io.outpost.shell.hub;

import io.outpost.hub.RouteDefinition;
import java.time.Duration;
import java.util.List;
import java.util.StringJoiner;

/** How the hub commands print ages, TTLs and per-priority lengths. */
final class Format {

    private Format() {
    }

    static String age(Duration d) {
        long s = Math.max(0, d.toSeconds());
        if (s < 120) {
            return s + "s";
        }
        if (s < 7200) {
            return (s / 60) + "m";
        }
        return s < 172800 ? (s / 3600) + "h" : (s / 86400) + "d";
    }

    static String ttl(RouteDefinition route) {
        return route.ttlSecs() == RouteDefinition.GLOBAL_TTL ? "global" : route.ttlSecs() + "s";
    }

    /** Non-empty priorities only, as {@code p0=3 p9=1}; {@code -} when all are empty. */
    static String byPriority(List<Long> lengths) {
        StringJoiner out = new StringJoiner(" ");
        for (int p = 0; p < lengths.size(); p++) {
            if (lengths.get(p) > 0) {
                out.add("p" + p + "=" + lengths.get(p));
            }
        }
        return out.length() == 0 ? "-" : out.toString();
    }
}

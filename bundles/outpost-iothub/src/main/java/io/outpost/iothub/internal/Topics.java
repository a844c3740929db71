package io.outpost.iothub.internal;

import io.outpost.iothub.ClientIdentity;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;

/**
 * The IoT Hub dialect's topics: what a client's PUBLISH means, which filters it may subscribe to, and the
 * topics the server publishes on. A client's own topics are those of its identity ({@code devices/<d>[/modules/<m>]})
 * and the {@code $iothub/...} topics, which are per connection: only the connection's own requests and answers
 * ever appear on them.
 */
final class Topics {

    static final String TWIN_RES_PREFIX = "$iothub/twin/res/";
    static final String TWIN_DESIRED_PREFIX = "$iothub/twin/PATCH/properties/desired/";
    static final String METHODS_POST_PREFIX = "$iothub/methods/POST/";
    static final String TWIN_GET = "$iothub/twin/GET/";
    static final String TWIN_PATCH_REPORTED = "$iothub/twin/PATCH/properties/reported/";
    static final String METHODS_RES_PREFIX = "$iothub/methods/res/";

    private Topics() {
    }

    /** What a PUBLISH from a client is. */
    sealed interface Publish {
    }

    /** Telemetry on the client's own events topic, with its (still encoded) property bag. */
    record Telemetry(String bag) implements Publish {
    }

    record TwinGet(String rid) implements Publish {
    }

    record TwinPatchReported(String rid) implements Publish {
    }

    record MethodResponse(int status, String rid) implements Publish {
    }

    /** Not a topic this client may publish on. */
    record Refused(String reason) implements Publish {
    }

    static Publish classify(ClientIdentity identity, String topic) {
        if (topic == null || topic.isEmpty()) {
            return new Refused("empty topic");
        }
        String events = identity.topicPrefix() + "/messages/events";
        if (topic.equals(events)) {
            return new Telemetry("");
        }
        if (topic.startsWith(events + "/")) {
            // Azure's SDKs end a bag with '/' (".../events/$.on=out&k=v/"): the slash closes it, it is no value
            String bag = topic.substring(events.length() + 1);
            return new Telemetry(bag.endsWith("/") ? bag.substring(0, bag.length() - 1) : bag);
        }
        if (topic.startsWith(TWIN_GET)) {
            return rid(topic.substring(TWIN_GET.length())).<Publish>map(TwinGet::new)
                    .orElse(new Refused("twin GET without $rid"));
        }
        if (topic.startsWith(TWIN_PATCH_REPORTED)) {
            return rid(topic.substring(TWIN_PATCH_REPORTED.length())).<Publish>map(TwinPatchReported::new)
                    .orElse(new Refused("reported PATCH without $rid"));
        }
        if (topic.startsWith(METHODS_RES_PREFIX)) {
            String rest = topic.substring(METHODS_RES_PREFIX.length());
            int slash = rest.indexOf('/');
            if (slash <= 0) {
                return new Refused("method answer without status");
            }
            int status;
            try {
                status = Integer.parseInt(rest.substring(0, slash));
            } catch (NumberFormatException e) {
                return new Refused("method answer status is not a number");
            }
            Optional<String> rid = rid(rest.substring(slash + 1));
            return rid.<Publish>map(r -> new MethodResponse(status, r))
                    .orElse(new Refused("method answer without $rid"));
        }
        if (topic.startsWith("devices/")) {
            return new Refused("not the client's own telemetry topic");
        }
        return new Refused("not a topic of the IoT Hub dialect");
    }

    /** The {@code $rid} of a {@code ?$rid=...&...} query (the part after the request's fixed topic). */
    private static Optional<String> rid(String rest) {
        String rid = query(rest).get("$rid");
        return rid == null || rid.isEmpty() || rid.length() > 128 ? Optional.empty() : Optional.of(rid);
    }

    /** The parameters of {@code ?a=b&c=d} (a leading {@code ?} is optional). */
    static Map<String, String> query(String rest) {
        Map<String, String> params = new HashMap<>();
        String q = rest.startsWith("?") ? rest.substring(1) : rest;
        if (q.isEmpty()) {
            return params;
        }
        for (String pair : q.split("&")) {
            int eq = pair.indexOf('=');
            if (eq > 0) {
                params.put(pair.substring(0, eq), pair.substring(eq + 1));
            }
        }
        return params;
    }

    /**
     * Why a client may not subscribe to the filter, or empty when it may: modules to their inputs, devices to
     * their cloud-to-device messages, both to their twin answers, desired pushes and method requests.
     */
    static Optional<String> subscribeRefusal(ClientIdentity identity, String filter) {
        if (filter == null || filter.isEmpty()) {
            return Optional.of("empty topic filter");
        }
        if (!validFilter(filter)) {
            return Optional.of("malformed topic filter");
        }
        if (filter.startsWith(TWIN_RES_PREFIX) || filter.startsWith(TWIN_DESIRED_PREFIX)
                || filter.startsWith(METHODS_POST_PREFIX)) {
            return Optional.empty();
        }
        String own = identity.isModule() ? identity.topicPrefix() + "/inputs/"
                : identity.topicPrefix() + "/messages/devicebound/";
        if (filter.startsWith(own)) {
            return Optional.empty();
        }
        return Optional.of(identity.isModule() ? "a module subscribes only to its own inputs, twin and methods"
                : "a device subscribes only to its own cloud-to-device messages, twin and methods");
    }

    /** MQTT's rules: {@code #} only as the whole last level, {@code +} only as a whole level. */
    static boolean validFilter(String filter) {
        String[] levels = filter.split("/", -1);
        for (int i = 0; i < levels.length; i++) {
            String level = levels[i];
            if (level.contains("#") && (!level.equals("#") || i != levels.length - 1)) {
                return false;
            }
            if (level.contains("+") && !level.equals("+")) {
                return false;
            }
        }
        return true;
    }

    /** Whether a topic matches a filter ({@code +} one level, {@code #} the rest, including none). */
    static boolean matches(String filter, String topic) {
        // level by level, without splitting: this runs for every delivery against each of the client's filters
        int f = 0;
        int t = 0;
        while (true) {
            int fEnd = levelEnd(filter, f);
            int tEnd = levelEnd(topic, t);
            int fLength = fEnd - f;
            if (fLength == 1 && filter.charAt(f) == '#') {
                return true;
            }
            boolean plus = fLength == 1 && filter.charAt(f) == '+';
            if (!plus && (fLength != tEnd - t || !filter.regionMatches(f, topic, t, fLength))) {
                return false;
            }
            boolean filterDone = fEnd >= filter.length();
            boolean topicDone = tEnd >= topic.length();
            if (filterDone || topicDone) {
                // a topic that ends where the filter goes on matches only a last level "#" (zero levels)
                return filterDone ? topicDone : filter.length() == fEnd + 2 && filter.charAt(fEnd + 1) == '#';
            }
            f = fEnd + 1;
            t = tEnd + 1;
        }
    }

    /** Where the level starting at {@code from} ends: the next '/' or the end of the string. */
    private static int levelEnd(String s, int from) {
        int slash = s.indexOf('/', from);
        return slash < 0 ? s.length() : slash;
    }
}

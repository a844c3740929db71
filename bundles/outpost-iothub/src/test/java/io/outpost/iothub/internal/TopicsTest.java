package io.outpost.iothub.internal;

import static org.assertj.core.api.Assertions.assertThat;

import io.outpost.iothub.ClientIdentity;
import io.outpost.iothub.IotMessage;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class TopicsTest {

    private static final ClientIdentity FILTER = new ClientIdentity("edge1", Optional.of("filter"));

    @Test
    void givenBagClosedWithSlashAsAzureSdksSendIt_whenClassified_thenTheLastValueHasNoSlash() {
        Topics.Publish p = Topics.classify(FILTER,
                "devices/edge1/modules/filter/messages/events/%24.on=output1&MessageType=Alert/");

        assertThat(p).isInstanceOf(Topics.Telemetry.class);
        IotMessage m = PropertyBag.decode(((Topics.Telemetry) p).bag(), new byte[0]);
        assertThat(m.properties()).containsEntry("MessageType", "Alert");
        assertThat(m.systemProperties()).containsEntry(IotMessage.OUTPUT_NAME, "output1");
    }

    @Test
    void givenBagWithoutSlash_whenClassified_thenItIsKeptWhole() {
        Topics.Publish p = Topics.classify(FILTER, "devices/edge1/modules/filter/messages/events/a=1&b=2");

        assertThat(((Topics.Telemetry) p).bag()).isEqualTo("a=1&b=2");
    }

    @Test
    void givenFiltersWithWildcards_whenMatched_thenMqttRulesHold() {
        assertThat(Topics.matches("devices/d/modules/m/inputs/#", "devices/d/modules/m/inputs/in1/%24.mid=1")).isTrue();
        assertThat(Topics.matches("devices/d/modules/m/inputs/#", "devices/d/modules/m/inputs")).isTrue();
        assertThat(Topics.matches("devices/d/modules/m/inputs/#", "devices/d/modules/x/inputs/in1")).isFalse();
        assertThat(Topics.matches("$iothub/twin/res/#", "$iothub/twin/res/200/?$rid=1")).isTrue();
        assertThat(Topics.matches("a/+/c", "a/b/c")).isTrue();
        assertThat(Topics.matches("a/+/c", "a/b/c/d")).isFalse();
        assertThat(Topics.matches("a/+", "a/")).isTrue();
        assertThat(Topics.matches("a/b", "a/bb")).isFalse();
        assertThat(Topics.matches("a/b/c", "a/b")).isFalse();
        assertThat(Topics.matches("#", "")).isTrue();
    }

    /** The matcher agrees with a plain level-by-level reading of the MQTT rules on every small case. */
    @Test
    void givenEverySmallFilterAndTopic_whenMatched_thenTheAnswerIsTheReferenceOne() {
        String[] levels = {"a", "b", "", "+", "#"};
        java.util.List<String> filters = new java.util.ArrayList<>();
        java.util.List<String> topics = new java.util.ArrayList<>();
        combine(levels, "", 0, filters);
        combine(new String[] {"a", "b", ""}, "", 0, topics);
        // only valid filters are ever kept (a "#" anywhere but last is refused at SUBSCRIBE)
        filters.removeIf(f -> f.contains("#") && f.indexOf('#') != f.length() - 1);
        int checked = 0;
        for (String filter : filters) {
            for (String topic : topics) {
                assertThat(Topics.matches(filter, topic)).as("%s against %s", filter, topic)
                        .isEqualTo(reference(filter, topic));
                checked++;
            }
        }
        assertThat(checked).isGreaterThan(1000);
    }

    private static void combine(String[] levels, String prefix, int depth, java.util.List<String> out) {
        if (depth > 0) {
            out.add(prefix);
        }
        if (depth == 4) {
            return;
        }
        for (String level : levels) {
            combine(levels, depth == 0 ? level : prefix + "/" + level, depth + 1, out);
        }
    }

    private static boolean reference(String filter, String topic) {
        String[] f = filter.split("/", -1);
        String[] t = topic.split("/", -1);
        for (int i = 0; i < f.length; i++) {
            if (f[i].equals("#")) {
                return true;
            }
            if (i >= t.length) {
                return false;
            }
            if (!f[i].equals("+") && !f[i].equals(t[i])) {
                return false;
            }
        }
        return f.length == t.length;
    }
}

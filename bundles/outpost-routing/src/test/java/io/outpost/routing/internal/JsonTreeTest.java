package io.outpost.routing.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The Jackson body reader against the hand-written one, body by body over {@link JsonCorpus}. The one
 * difference allowed: the old reader took a sign in a {@code \\u} escape ({@code "\\u+041"} as {@code "A"}),
 * which is not JSON; the new one reads such a body as undefined, like every other invalid escape.
 */
class JsonTreeTest {

    @Test
    void givenCorpus_whenReadByBothReaders_thenSameValues() {
        List<String> diffs = new ArrayList<>();
        for (String body : JsonCorpus.bodies()) {
            String shown = body.length() > 60 ? body.substring(0, 60) + "..." : body;
            String old = JsonCorpus.render(JsonReader.read(body));
            String neu = JsonCorpus.render(JsonTree.read(body));
            boolean signedEscape = body.contains("\\u+") || body.contains("\\u-");
            if (signedEscape) {
                assertThat(neu).as(shown).isEqualTo("undefined");
            } else if (!neu.equals(old)) {
                diffs.add(JsonCorpus.render(shown) + " old=" + old + " new=" + neu);
            }
        }
        assertThat(diffs).isEmpty();
    }
}

package io.outpost.manifest.internal;

import com.fasterxml.jackson.databind.JsonNode;
import io.outpost.manifest.Integrity;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The {@code integrity} block of a signed manifest: {@code header.signercert},
 * {@code header.intermediatecacert}, {@code signature.bytes} and {@code signature.algorithm}.
 */
final class IntegrityReader {

    private IntegrityReader() {
    }

    /** Absent: {@code Optional.of(Optional.empty())}; wrong: {@code Optional.empty()}. */
    static Optional<Optional<Integrity>> read(Section desired) {
        if (!desired.has("integrity")) {
            return Optional.of(Optional.empty());
        }
        Optional<Section> integrity = desired.object("integrity", true);
        if (integrity.isEmpty()) {
            return Optional.empty();
        }
        Section block = integrity.get();
        Optional<Section> header = block.object("header", true);
        Optional<List<String>> signer = header.flatMap(h -> lines(h, "signercert", true));
        Optional<List<String>> intermediate = header.flatMap(h -> lines(h, "intermediatecacert", false));
        header.ifPresent(Section::warnUnknown);
        Optional<Section> signature = block.object("signature", true);
        Optional<String> bytes = signature.flatMap(s -> s.string("bytes", true, "the base64 signature"));
        Optional<String> algorithm = signature.flatMap(s -> s.string("algorithm", true, "a signature algorithm "
                + "such as ES256"));
        signature.ifPresent(Section::warnUnknown);
        block.warnUnknown();
        if (signer.isEmpty() || intermediate.isEmpty() || bytes.isEmpty() || algorithm.isEmpty()) {
            return Optional.empty();
        }
        desired.problems().warning(desired.pointer("integrity"), "the manifest is signed; Outpost accepts the "
                + "integrity block but does not verify the signature");
        return Optional.of(Optional.of(new Integrity(signer.get(), intermediate.get(), bytes.get(), algorithm.get())));
    }

    /** A certificate given as one string or as an array of strings (its lines). */
    private static Optional<List<String>> lines(Section header, String key, boolean required) {
        Optional<JsonNode> value = required ? header.require(key, "a certificate (a string or an array of strings)")
                : header.get(key);
        if (value.isEmpty()) {
            return required ? Optional.empty() : Optional.of(List.of());
        }
        JsonNode v = value.get();
        if (v.isTextual()) {
            return Optional.of(List.of(v.textValue()));
        }
        List<String> lines = new ArrayList<>();
        if (v.isArray()) {
            for (JsonNode line : v) {
                if (!line.isTextual()) {
                    break;
                }
                lines.add(line.textValue());
            }
            if (lines.size() == v.size()) {
                return Optional.of(lines);
            }
        }
        header.problems().error(header.pointer(key), "expected a certificate (a string or an array of strings), found "
                + Json.describe(v));
        return Optional.empty();
    }
}

package io.outpost.manifest.internal;

import io.outpost.manifest.DeploymentManifest;
import io.outpost.manifest.ManifestErrorCode;
import io.outpost.manifest.Problem;
import io.outpost.manifest.Problem.Severity;
import io.outpost.manifest.ValidationResult;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/** Collects the problems of one validation, up to a limit, and remembers which error codes they carry. */
final class Problems {

    /** When several codes apply, the first of this list is the one reported. */
    private static final List<ManifestErrorCode> PRECEDENCE = List.of(ManifestErrorCode.EMPTY,
            ManifestErrorCode.TOO_LARGE, ManifestErrorCode.UNSUPPORTED_SCHEMA, ManifestErrorCode.INVALID);

    private final List<Problem> list = new ArrayList<>();
    private final Set<ManifestErrorCode> codes = EnumSet.noneOf(ManifestErrorCode.class);
    private final int max;
    private boolean full;

    Problems(int max) {
        this.max = max;
    }

    void error(String pointer, String message) {
        error(ManifestErrorCode.INVALID, pointer, message);
    }

    void error(ManifestErrorCode code, String pointer, String message) {
        if (add(new Problem(Severity.ERROR, pointer, message))) {
            codes.add(code);
        }
    }

    void warning(String pointer, String message) {
        add(new Problem(Severity.WARNING, pointer, message));
    }

    boolean hasErrors() {
        return !codes.isEmpty();
    }

    /** Whether the limit is reached: callers may stop looking for more. */
    boolean full() {
        return full;
    }

    ValidationResult result(DeploymentManifest manifest) {
        if (hasErrors() || manifest == null) {
            if (!hasErrors()) {
                error("", "the manifest could not be assembled");
            }
            Optional<ManifestErrorCode> code = PRECEDENCE.stream().filter(codes::contains).findFirst();
            return new ValidationResult(Optional.empty(), list, code);
        }
        return new ValidationResult(Optional.of(manifest), list, Optional.empty());
    }

    private boolean add(Problem problem) {
        if (full) {
            return false;
        }
        if (list.size() == max) {
            full = true;
            list.add(new Problem(Severity.ERROR, "", "more than " + max + " problems; validation stopped there"));
            codes.add(ManifestErrorCode.INVALID);
            return false;
        }
        list.add(problem);
        return true;
    }
}

package io.outpost.manifest;

import io.outpost.common.OutpostException;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.stream.Collectors;

/**
 * What validating a manifest found: the manifest, present only when there is no error, and every problem.
 *
 * @param manifest the validated manifest; empty when {@code errorCode} is present
 * @param problems errors and warnings, in document order within each section
 * @param errorCode why the manifest is refused; empty when it is valid
 */
public record ValidationResult(Optional<DeploymentManifest> manifest, List<Problem> problems,
        Optional<ManifestErrorCode> errorCode) {

    public ValidationResult {
        Objects.requireNonNull(manifest, "manifest");
        problems = List.copyOf(problems);
        Objects.requireNonNull(errorCode, "errorCode");
        boolean hasErrors = problems.stream().anyMatch(Problem::isError);
        if (manifest.isPresent() == hasErrors || errorCode.isPresent() != hasErrors) {
            throw new IllegalArgumentException("a result holds a manifest exactly when it has no error");
        }
    }

    public boolean valid() {
        return manifest.isPresent();
    }

    public List<Problem> errors() {
        return problems.stream().filter(Problem::isError).toList();
    }

    public List<Problem> warnings() {
        return problems.stream().filter(p -> !p.isError()).toList();
    }

    /**
     * The manifest, or an {@link OutpostException} whose code is {@link #errorCode()} and whose message lists
     * every error, one per line.
     */
    public DeploymentManifest orElseThrow() {
        return manifest.orElseThrow(() -> new OutpostException(errorCode.orElseThrow(),
                "the deployment manifest is refused:\n" + errors().stream().map(Problem::toString)
                        .collect(Collectors.joining("\n"))));
    }
}

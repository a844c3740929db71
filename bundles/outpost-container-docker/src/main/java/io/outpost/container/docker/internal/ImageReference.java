package io.outpost.container.docker.internal;

/**
 * An image reference split the way the engine's pull call wants it: repository and tag (or digest).
 * {@code registry:5000/team/app} has the tag {@code latest}; {@code app@sha256:...} has the digest as tag.
 */
record ImageReference(String repository, String tag) {

    static ImageReference parse(String image) {
        String ref = image.trim();
        if (ref.isEmpty()) {
            throw new IllegalArgumentException("image reference must not be empty");
        }
        int at = ref.indexOf('@');
        if (at >= 0) {
            return new ImageReference(ref.substring(0, at), ref.substring(at + 1));
        }
        int slash = ref.lastIndexOf('/');
        int colon = ref.lastIndexOf(':');
        if (colon > slash) {
            return new ImageReference(ref.substring(0, colon), ref.substring(colon + 1));
        }
        return new ImageReference(ref, "latest");
    }
}

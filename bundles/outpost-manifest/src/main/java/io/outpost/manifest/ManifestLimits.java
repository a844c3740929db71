package io.outpost.manifest;

/**
 * Bounds that keep a hostile manifest cheap to refuse.
 *
 * @param maxBytes the largest document accepted, in bytes of UTF-8 (default 4 MiB)
 * @param maxDepth the deepest nesting of objects and arrays, enforced while parsing (default 64)
 * @param maxProblems how many problems are collected before validation stops (default 1000)
 */
public record ManifestLimits(int maxBytes, int maxDepth, int maxProblems) {

    public static final int DEFAULT_MAX_BYTES = 4 * 1024 * 1024;
    public static final int DEFAULT_MAX_DEPTH = 64;
    public static final int DEFAULT_MAX_PROBLEMS = 1000;

    public ManifestLimits {
        if (maxBytes < 1 || maxBytes > Integer.MAX_VALUE - 1) {
            throw new IllegalArgumentException("maxBytes must be from 1 to 2^31 - 2: " + maxBytes);
        }
        if (maxDepth < 4) {
            throw new IllegalArgumentException("maxDepth must be at least 4, the depth of a module: " + maxDepth);
        }
        if (maxProblems < 1) {
            throw new IllegalArgumentException("maxProblems must be at least 1: " + maxProblems);
        }
    }

    public static ManifestLimits defaults() {
        return new ManifestLimits(DEFAULT_MAX_BYTES, DEFAULT_MAX_DEPTH, DEFAULT_MAX_PROBLEMS);
    }
}

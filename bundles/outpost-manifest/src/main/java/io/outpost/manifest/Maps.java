package io.outpost.manifest;

import java.util.Collections;
import java.util.Map;
import java.util.Objects;
import java.util.SortedMap;
import java.util.TreeMap;

/** Immutable sorted copies for the records of this package. */
final class Maps {

    private Maps() {
    }

    static <V> SortedMap<String, V> sortedCopy(Map<String, V> map, String what) {
        Objects.requireNonNull(map, what);
        TreeMap<String, V> copy = new TreeMap<>();
        map.forEach((k, v) -> copy.put(Objects.requireNonNull(k, what + " key"), Objects.requireNonNull(v, what + " value")));
        return Collections.unmodifiableSortedMap(copy);
    }
}

package io.outpost.cloud.store.internal;

import static org.assertj.core.api.Assertions.assertThat;

import io.outpost.cloud.CloudErrorCode;
import io.outpost.cloud.ConnectionState;
import io.outpost.cloud.Device;
import io.outpost.cloud.DeviceAuth;
import io.outpost.cloud.TelemetryMessage;
import io.outpost.cloud.Twin;
import io.outpost.cloud.TwinChange;
import io.outpost.cloud.TwinId;
import io.outpost.cloud.TwinPatch;
import io.outpost.cloud.TwinSection;
import io.outpost.cloud.store.internal.json.Json;
import io.outpost.common.OutpostException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

/** The registry, twin and telemetry suite; subclasses run it on H2 and on PostgreSQL. */
abstract class StoreContract extends StoreTestBase {

    private static final TwinId GW = TwinId.device("gw-1");

    @Test
    void givenNewDevice_whenRead_thenEnabledDisconnectedWithItsTagsAndKeys() {
        store.registry().create("gw-2", KEYS, "{}");
        Device created = store.registry().create("gw-1", KEYS, "{\"site\": \"A\", \"gone\": null}");

        assertThat(created.enabled()).isTrue();
        assertThat(created.connectionState()).isEqualTo(ConnectionState.DISCONNECTED);
        assertThat(created.lastActivity()).isEmpty();
        assertThat(created.createdAt()).isEqualTo(clock.now());
        assertThat(created.auth()).isEqualTo(KEYS);
        assertThat(Json.parseObject(created.tags(), "tags")).isEqualTo(Json.parseObject("{\"site\":\"A\"}", "t"));
        assertThat(store.registry().list()).extracting(Device::id).containsExactly("gw-1", "gw-2");
        assertThat(store.twins().get(GW)).map(Twin::version).contains(1L);
    }

    @Test
    void givenExistingDevice_whenCreatedAgain_thenAlreadyExists() {
        store.registry().create("gw-1", KEYS, "{}");

        thrown(CloudErrorCode.ALREADY_EXISTS, () -> store.registry().create("gw-1", KEYS, "{}"));
    }

    @Test
    void givenEdgeDevice_whenChildCreatedUnderIt_thenChildShowsItsParentAndBadParentsAreRefused() {
        store.registry().create("edge-1", KEYS, "{}");

        Device leaf = store.registry().create("leaf-1", KEYS, "{}", Optional.of("edge-1"));

        assertThat(leaf.parentId()).contains("edge-1");
        assertThat(store.registry().get("leaf-1").orElseThrow().parentId()).contains("edge-1");
        assertThat(store.registry().get("edge-1").orElseThrow().parentId()).isEmpty();
        thrown(CloudErrorCode.NOT_FOUND, () -> store.registry().create("leaf-2", KEYS, "{}", Optional.of("none")));
        thrown(CloudErrorCode.INVALID_ARGUMENT,
                () -> store.registry().create("leaf-3", KEYS, "{}", Optional.of("leaf-1")));
        thrown(CloudErrorCode.INVALID_ARGUMENT,
                () -> store.registry().create("self", KEYS, "{}", Optional.of("self")));
        assertThat(store.registry().list()).extracting(Device::id).containsExactly("edge-1", "leaf-1");

        store.registry().delete("edge-1");

        assertThat(store.registry().get("leaf-1").orElseThrow().parentId()).isEmpty();
    }

    @Test
    void givenLeafUnderEdge_whenMovedToAnotherEdgeAndThenOutOfScope_thenOnlyItsParentChanges() {
        store.registry().create("edge-a", KEYS, "{}");
        store.registry().create("edge-b", KEYS, "{}");
        store.registry().create("leaf-1", KEYS, "{\"site\": \"A\"}", Optional.of("edge-a"));
        store.twins().update(TwinId.device("leaf-1"), TwinPatch.merge(TwinSection.DESIRED, "{\"a\": 1}"));
        Device before = store.registry().get("leaf-1").orElseThrow();

        Device moved = store.registry().setParent("leaf-1", Optional.of("edge-b"));

        assertThat(moved.parentId()).contains("edge-b");
        Device stored = store.registry().get("leaf-1").orElseThrow();
        assertThat(stored).usingRecursiveComparison().ignoringFields("parentId").isEqualTo(before);
        assertThat(store.twins().get(TwinId.device("leaf-1")).orElseThrow().desired()).isEqualTo("{\"a\":1}");

        Device orphan = store.registry().setParent("leaf-1", Optional.empty());

        assertThat(orphan.parentId()).isEmpty();
        assertThat(store.registry().get("leaf-1").orElseThrow().parentId()).isEmpty();
        assertThat(store.registry().setParent("leaf-1", Optional.empty()).parentId()).isEmpty();
    }

    @Test
    void givenEdgeWithChild_whenBadParentsSet_thenRefusedAndNothingChanges() {
        store.registry().create("edge-a", KEYS, "{}");
        store.registry().create("edge-b", KEYS, "{}");
        store.registry().create("leaf-1", KEYS, "{}", Optional.of("edge-a"));
        store.registry().create("leaf-2", KEYS, "{}");

        thrown(CloudErrorCode.NOT_FOUND, () -> store.registry().setParent("nobody", Optional.of("edge-a")));
        thrown(CloudErrorCode.NOT_FOUND, () -> store.registry().setParent("nobody", Optional.empty()));
        thrown(CloudErrorCode.NOT_FOUND, () -> store.registry().setParent("leaf-2", Optional.of("none")));
        thrown(CloudErrorCode.INVALID_ARGUMENT, () -> store.registry().setParent("leaf-2", Optional.of("leaf-2")));
        thrown(CloudErrorCode.INVALID_ARGUMENT, () -> store.registry().setParent("leaf-2", Optional.of("leaf-1")));
        thrown(CloudErrorCode.INVALID_ARGUMENT, () -> store.registry().setParent("edge-a", Optional.of("edge-b")));

        assertThat(store.registry().list()).extracting(d -> d.id() + "<" + d.parentId().orElse(""))
                .containsExactly("edge-a<", "edge-b<", "leaf-1<edge-a", "leaf-2<");
        assertThat(store.registry().setParent("edge-a", Optional.empty()).parentId()).isEmpty();
    }

    @Test
    void givenTwoDevices_whenAChildIsCreatedUnderOneWhileItIsMovedUnderTheOther_thenNeverTwoLevels()
            throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(2);
        try {
            for (int round = 0; round < 20; round++) {
                String a = "ca" + round;
                String b = "cb" + round;
                String child = "cc" + round;
                store.registry().create(a, KEYS, "{}");
                store.registry().create(b, KEYS, "{}");
                Future<?> aUnderB = pool.submit(() -> store.registry().setParent(a, Optional.of(b)));
                Future<?> childOfA = pool.submit(() -> store.registry().create(child, KEYS, "{}", Optional.of(a)));
                int refused = 0;
                for (Future<?> change : List.of(aUnderB, childOfA)) {
                    try {
                        change.get();
                    } catch (java.util.concurrent.ExecutionException e) {
                        assertThat(e.getCause()).isInstanceOfSatisfying(io.outpost.common.OutpostException.class,
                                o -> assertThat(o.errorCode()).isEqualTo(CloudErrorCode.INVALID_ARGUMENT));
                        refused++;
                    }
                }

                assertThat(refused).as("round " + round).isEqualTo(1);
                boolean aIsChild = store.registry().get(a).orElseThrow().parentId().isPresent();
                boolean childExists = store.registry().get(child).isPresent();
                assertThat(aIsChild && childExists).as("round " + round).isFalse();
            }
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    void givenThreeDevices_whenOneMovedUnderAnotherWhileThatOneIsMovedUnderTheThird_thenNeverTwoLevels()
            throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(2);
        try {
            for (int round = 0; round < 20; round++) {
                for (String id : List.of("a", "b", "c")) {
                    store.registry().create(id + round, KEYS, "{}");
                }
                String a = "a" + round;
                String b = "b" + round;
                String c = "c" + round;
                Future<?> aUnderB = pool.submit(() -> store.registry().setParent(a, Optional.of(b)));
                Future<?> cUnderA = pool.submit(() -> store.registry().setParent(c, Optional.of(a)));
                int refused = 0;
                for (Future<?> move : List.of(aUnderB, cUnderA)) {
                    try {
                        move.get();
                    } catch (java.util.concurrent.ExecutionException e) {
                        assertThat(e.getCause()).isInstanceOfSatisfying(io.outpost.common.OutpostException.class,
                                o -> assertThat(o.errorCode()).isEqualTo(CloudErrorCode.INVALID_ARGUMENT));
                        refused++;
                    }
                }

                assertThat(refused).as("round " + round).isEqualTo(1);
                Optional<String> parentOfA = store.registry().get(a).orElseThrow().parentId();
                Optional<String> parentOfC = store.registry().get(c).orElseThrow().parentId();
                assertThat(parentOfA.isPresent() && parentOfC.isPresent()).as("round " + round).isFalse();
            }
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    void givenBadIdOrTags_whenCreated_thenInvalidArgumentAndNothingStored() {
        thrown(CloudErrorCode.INVALID_ARGUMENT, () -> store.registry().create("gw 1", KEYS, "{}"));
        thrown(CloudErrorCode.INVALID_ARGUMENT, () -> store.registry().create("gw-1", KEYS, "[1]"));

        assertThat(store.registry().list()).isEmpty();
    }

    @Test
    void givenDevice_whenDisabledRekeyedConnectedAndTouched_thenEachChangeIsStored() {
        store.registry().create("gw-1", KEYS, "{}");
        DeviceAuth x509 = new DeviceAuth.X509Thumbprints("ab12", "cd34");

        store.registry().setEnabled("gw-1", false);
        store.registry().setAuth("gw-1", x509);
        store.registry().setConnectionState("gw-1", ConnectionState.CONNECTED, clock.now().plusSeconds(5));
        store.registry().touch("gw-1", clock.now().plusSeconds(9));

        Device device = store.registry().get("gw-1").orElseThrow();
        assertThat(device.enabled()).isFalse();
        assertThat(device.auth()).isEqualTo(new DeviceAuth.X509Thumbprints("AB12", "CD34"));
        assertThat(device.connectionState()).isEqualTo(ConnectionState.CONNECTED);
        assertThat(device.lastActivity()).contains(clock.now().plusSeconds(9));
        thrown(CloudErrorCode.NOT_FOUND, () -> store.registry().setEnabled("nobody", true));
    }

    @Test
    void givenDeviceWithTwinTelemetryAndChild_whenCredentialsReplaced_thenOnlyTheCredentialsChange() {
        store.registry().create("edge-1", KEYS, "{\"site\": \"A\"}");
        store.registry().create("leaf-1", KEYS, "{}", Optional.of("edge-1"));
        store.twins().update(TwinId.device("edge-1"), TwinPatch.merge(TwinSection.DESIRED, "{\"a\": 1}"));
        store.telemetry().append(message("edge-1", "t"));
        store.registry().setEnabled("edge-1", false);
        Device before = store.registry().get("edge-1").orElseThrow();
        DeviceAuth.SymmetricKeys rotated = new DeviceAuth.SymmetricKeys("bmV3LXByaW1hcnkta2V5LTE2Yg==",
                "bmV3LXNlY29uZGFyeS1rZXktMTY=");

        Device rekeyed = store.registry().setAuth("edge-1", rotated);
        Device x509 = store.registry().setAuth("edge-1", new DeviceAuth.X509Thumbprints("ab".repeat(32), null));

        assertThat(rekeyed.auth()).isEqualTo(rotated);
        assertThat(x509.auth()).isEqualTo(new DeviceAuth.X509Thumbprints("AB".repeat(32), ""));
        Device after = store.registry().get("edge-1").orElseThrow();
        assertThat(after.auth()).isEqualTo(x509.auth());
        assertThat(after).usingRecursiveComparison().ignoringFields("auth").isEqualTo(before);
        assertThat(store.registry().get("leaf-1").orElseThrow().parentId()).contains("edge-1");
        assertThat(store.registry().get("leaf-1").orElseThrow().auth()).isEqualTo(KEYS);
        assertThat(store.twins().get(TwinId.device("edge-1")).orElseThrow().desired()).isEqualTo("{\"a\":1}");
        assertThat(store.telemetry().recent("edge-1", 10)).hasSize(1);
        assertThat(store.registry().setAuth("edge-1", KEYS).auth()).isEqualTo(KEYS);
        thrown(CloudErrorCode.NOT_FOUND, () -> store.registry().setAuth("nobody", rotated));
        assertThat(store.registry().get("nobody")).isEmpty();
    }

    @Test
    void givenDeviceWithModuleTwinAndTelemetry_whenDeleted_thenAllOfItIsGone() {
        store.registry().create("gw-1", KEYS, "{}");
        store.registry().createModule("gw-1", "sensor", KEYS);
        store.telemetry().append(message("gw-1", "t"));

        assertThat(store.registry().modules("gw-1")).hasSize(1);
        assertThat(store.twins().moduleTwins("gw-1")).extracting(t -> t.id().moduleId()).containsExactly(Optional.of("sensor"));
        assertThat(store.registry().delete("gw-1")).isTrue();

        assertThat(store.registry().get("gw-1")).isEmpty();
        assertThat(store.twins().moduleTwins("gw-1")).isEmpty();
        assertThat(store.registry().delete("gw-1")).isFalse();
        thrown(CloudErrorCode.NOT_FOUND, () -> store.registry().createModule("gw-1", "sensor", KEYS));
    }

    @Test
    void givenTwin_whenDesiredAndReportedArePatched_thenSectionsMergeAndEveryVersionIncreases() {
        store.registry().create("gw-1", KEYS, "{}");

        store.twins().update(GW, TwinPatch.merge(TwinSection.DESIRED, "{\"a\": {\"x\": 1, \"y\": 2}, \"b\": 1}"));
        store.twins().update(GW, TwinPatch.merge(TwinSection.DESIRED, "{\"a\": {\"x\": null, \"z\": 3}}"));
        Twin twin = store.twins().update(GW, TwinPatch.merge(TwinSection.REPORTED, "{\"ok\": true}"));

        assertThat(Json.parseObject(twin.desired(), "d"))
                .isEqualTo(Json.parseObject("{\"a\": {\"y\": 2, \"z\": 3}, \"b\": 1}", "e"));
        assertThat(twin.desiredVersion()).isEqualTo(3);
        assertThat(twin.reportedVersion()).isEqualTo(2);
        assertThat(twin.version()).isEqualTo(4);
        assertThat(twin.etag()).isEqualTo("\"4\"");
    }

    @Test
    void givenTwin_whenSectionIsReplaced_thenOnlyTheNewContentRemains() {
        store.registry().create("gw-1", KEYS, "{\"old\": 1}");

        Twin twin = store.twins().update(GW, TwinPatch.replace(TwinSection.TAGS, "{\"site\": \"B\", \"x\": null}"));

        assertThat(Json.parseObject(twin.tags(), "t")).isEqualTo(Json.parseObject("{\"site\": \"B\"}", "e"));
        assertThat(store.registry().get("gw-1").orElseThrow().tags()).isEqualTo(twin.tags());
    }

    @Test
    void givenStaleVersion_whenPatched_thenRefusedNamingBothVersionsAndTwinUnchanged() {
        store.registry().create("gw-1", KEYS, "{}");
        store.twins().update(GW, TwinPatch.merge(TwinSection.DESIRED, "{\"a\": 1}"));

        var e = thrown(CloudErrorCode.VERSION_MISMATCH,
                () -> store.twins().update(GW, TwinPatch.merge(TwinSection.DESIRED, "{\"a\": 2}").ifVersion(1)));

        assertThat(e.getMessage()).isEqualTo("twin 'gw-1' is at version 2 (ETag \"2\"), the change expected "
                + "version 1: read the twin again and retry");
        assertThat(store.twins().get(GW).orElseThrow().desired()).isEqualTo("{\"a\":1}");
        assertThat(store.twins().update(GW, TwinPatch.merge(TwinSection.DESIRED, "{\"a\": 3}").ifVersion(2))
                .version()).isEqualTo(3);
    }

    @Test
    void givenModuleTwinOrMissingTwin_whenPatchedWrongly_thenRefused() {
        store.registry().create("gw-1", KEYS, "{}");
        store.registry().createModule("gw-1", "sensor", KEYS);

        thrown(CloudErrorCode.INVALID_ARGUMENT,
                () -> store.twins().update(TwinId.module("gw-1", "sensor"), TwinPatch.merge(TwinSection.TAGS, "{}")));
        thrown(CloudErrorCode.NOT_FOUND,
                () -> store.twins().update(TwinId.device("nobody"), TwinPatch.merge(TwinSection.DESIRED, "{}")));
        thrown(CloudErrorCode.INVALID_ARGUMENT,
                () -> store.twins().update(GW, TwinPatch.merge(TwinSection.DESIRED, "not json")));
    }

    @Test
    void givenConcurrentPatches_whenAllApplied_thenNoneIsLostAndVersionCountsThemAll() throws Exception {
        store.registry().create("gw-1", KEYS, "{}");
        ExecutorService pool = Executors.newFixedThreadPool(4);
        try {
            List<Future<Twin>> results = IntStream.range(0, 40).mapToObj(i -> pool.submit(() -> store.twins()
                    .update(GW, TwinPatch.merge(TwinSection.REPORTED, "{\"k" + i + "\": " + i + "}")))).toList();
            for (Future<Twin> f : results) {
                f.get();
            }
        } finally {
            pool.shutdownNow();
        }

        Twin twin = store.twins().get(GW).orElseThrow();
        assertThat(twin.version()).isEqualTo(41);
        assertThat(Json.parseObject(twin.reported(), "r").size()).isEqualTo(40);
    }

    @Test
    void givenChanges_whenRetentionPasses_thenHistoryKeepsOnlyRecentChanges() {
        store.registry().create("gw-1", KEYS, "{}");
        store.twins().update(GW, TwinPatch.merge(TwinSection.DESIRED, "{\"a\": 1}"));
        store.twins().update(GW, TwinPatch.replace(TwinSection.TAGS, "{\"s\": 1}"));

        assertThat(store.twins().history(GW)).extracting(TwinChange::version, TwinChange::section, TwinChange::replace)
                .containsExactly(org.assertj.core.groups.Tuple.tuple(2L, TwinSection.DESIRED, false),
                        org.assertj.core.groups.Tuple.tuple(3L, TwinSection.TAGS, true));

        clock.advance(HISTORY.plusMinutes(1));
        assertThat(store.twins().history(GW)).isEmpty();
        store.twins().update(GW, TwinPatch.merge(TwinSection.REPORTED, "{\"b\": 2}"));

        assertThat(store.twins().history(GW)).extracting(TwinChange::version).containsExactly(4L);
        assertThat(store.prune()).isZero();
    }

    @Test
    void givenMessages_whenReadBack_thenNewestFirstWithPropertiesAndBody() {
        store.registry().create("gw-1", KEYS, "{}");

        TelemetryMessage first = store.telemetry().append(message("gw-1", "one"));
        clock.advance(Duration.ofSeconds(1));
        TelemetryMessage second = store.telemetry().append(TelemetryMessage.of("gw-1", Optional.of("sensor"),
                clock.now(), Map.of("$.ct", "application/json", "alert", "x"), "{\"t\":21}".getBytes(StandardCharsets.UTF_8)));

        assertThat(second.sequence()).isGreaterThan(first.sequence());
        assertThat(store.telemetry().recent("gw-1", 10)).containsExactly(second, first);
        assertThat(store.telemetry().recent("gw-1", 1)).containsExactly(second);
        thrown(CloudErrorCode.NOT_FOUND, () -> store.telemetry().append(message("nobody", "x")));
    }

    @Test
    void givenMoreMessagesThanTheCount_whenAppended_thenOnlyTheNewestAreKept() {
        store.registry().create("gw-1", KEYS, "{}");
        store.registry().create("gw-2", KEYS, "{}");
        store.telemetry().append(message("gw-2", "other"));

        for (int i = 0; i < 8; i++) {
            store.telemetry().append(message("gw-1", "m" + i));
        }

        assertThat(store.telemetry().recent("gw-1", 100)).extracting(m -> new String(m.body(), StandardCharsets.UTF_8))
                .containsExactly("m7", "m6", "m5", "m4", "m3");
        assertThat(store.telemetry().recent("gw-2", 100)).hasSize(1);
    }

    @Test
    void givenOldMessages_whenRetentionAgePasses_thenTheyAreNotReadAndArePruned() {
        store.registry().create("gw-1", KEYS, "{}");
        store.registry().create("gw-2", KEYS, "{}");
        store.telemetry().append(message("gw-1", "old"));
        store.telemetry().append(message("gw-2", "old"));

        clock.advance(TELEMETRY.maxAge().plusSeconds(1));
        store.telemetry().append(message("gw-1", "new"));

        assertThat(store.telemetry().recent("gw-1", 10)).extracting(m -> new String(m.body(), StandardCharsets.UTF_8))
                .containsExactly("new");
        assertThat(store.telemetry().recent("gw-2", 10)).isEmpty();
        assertThat(store.telemetry().prune()).isEqualTo(1);
        assertThat(store.telemetry().prune()).isZero();
    }

    @Test
    void givenStoreWithData_whenReopened_thenMigrationsDoNotRunAgainAndDataIsThere() {
        store.registry().create("gw-1", KEYS, "{\"site\": \"A\"}");
        store.close();

        store = CloudStore.open(settings, clock);

        assertThat(store.registry().get("gw-1")).isPresent();
    }

    @Test
    void givenTwin_whenAPatchWouldPassThe32KiBOrDepthLimit_thenRefusedAndTheTwinIsUnchanged() {
        store.registry().create("gw-1", KEYS, "{}");
        store.twins().update(GW, TwinPatch.merge(TwinSection.REPORTED, "{\"kept\": \"" + "r".repeat(20_000) + "\"}"));
        store.twins().update(GW, TwinPatch.merge(TwinSection.DESIRED, "{\"kept\": 1}"));
        Twin before = store.twins().get(GW).orElseThrow();
        String nested10 = "{\"l\":".repeat(10) + "1" + "}".repeat(10);

        OutpostException bytes = thrown(CloudErrorCode.TWIN_TOO_LARGE, () -> store.twins().update(GW,
                TwinPatch.merge(TwinSection.REPORTED, "{\"more\": \"" + "m".repeat(13_000) + "\"}")));
        OutpostException depth = thrown(CloudErrorCode.TWIN_TOO_LARGE, () -> store.twins().update(GW,
                TwinPatch.merge(TwinSection.DESIRED, "{\"deep\": {\"x\": " + nested10 + "}}")));
        OutpostException replaced = thrown(CloudErrorCode.TWIN_TOO_LARGE, () -> store.twins().update(GW,
                TwinPatch.replace(TwinSection.DESIRED, "{\"big\": \"" + "d".repeat(33_000) + "\"}")));

        assertThat(bytes.getMessage()).contains("properties.reported").contains("32768 bytes");
        assertThat(depth.getMessage()).contains("properties.desired").contains("11 levels").contains("limit of 10");
        assertThat(replaced.getMessage()).contains("properties.desired").contains("32768 bytes");
        assertThat(store.twins().get(GW).orElseThrow()).isEqualTo(before);
        assertThat(store.twins().update(GW, TwinPatch.merge(TwinSection.DESIRED, "{\"deep\": " + nested10 + "}")).desired())
                .as("ten levels are accepted").contains("\"kept\":1");
    }

    private TelemetryMessage message(String device, String body) {
        return TelemetryMessage.of(device, Optional.empty(), clock.now(), Map.of(), body.getBytes(StandardCharsets.UTF_8));
    }
}

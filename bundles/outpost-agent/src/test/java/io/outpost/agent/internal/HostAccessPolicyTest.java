package io.outpost.agent.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.outpost.agent.internal.HostAccessPolicy.Mode;
import io.outpost.deployment.ModuleStatus;
import io.outpost.deployment.RuntimeStatus;
import io.outpost.manifest.DeploymentManifest;
import io.outpost.manifest.HostAccess;
import io.outpost.manifest.ManifestParser;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class HostAccessPolicyTest {

    @TempDir
    Path tmp;

    private static String[] list(String... values) {
        return values;
    }

    private static DeploymentManifest manifest(String... modules) {
        return new ManifestParser().parse(new String(Manifests.manifest(modules), StandardCharsets.UTF_8)).orElseThrow();
    }

    /** A module entry whose createOptions is the given JSON (embedded as a string). */
    private static String module(String name, String createOptions) {
        return Manifests.module(name, "img-" + name, 0, "always", "running", "x")
                .replace("\"createOptions\": \"{}\"", "\"createOptions\": \""
                        + createOptions.replace("\\", "\\\\").replace("\"", "\\\"") + "\"");
    }

    private static final String ROOT_ACCESS = "{\"HostConfig\":{\"Privileged\":true,"
            + "\"Binds\":[\"/var/run/docker.sock:/var/run/docker.sock\"]}}";

    @Test
    void givenDefaults_whenReviewed_thenWarnAndNothingIsRefused() {
        HostAccessReview review = HostAccessPolicy.defaults().review(manifest(module("a", ROOT_ACCESS), module("b", "{}")));

        assertThat(review.mode()).isEqualTo(Mode.WARN);
        assertThat(review.refused()).isFalse();
        assertThat(review.unlisted()).extracting(f -> f.module() + " " + f.access())
                .containsExactly("a HostConfig.Privileged=true", "a HostConfig.Binds[0]=/var/run/docker.sock");
        assertThat(review.summary()).hasValueSatisfying(s -> assertThat(s)
                .startsWith("host access allowed with warnings (hostAccess = warn): ")
                .contains("module 'a': createOptions HostConfig.Privileged = true (privileged container)")
                .contains("module 'a': createOptions HostConfig.Binds[0] = /var/run/docker.sock (bind of host path "));
    }

    @Test
    void givenDeny_whenRootAccessReviewed_thenRefusedNamingModuleAndField() {
        HostAccessPolicy deny = HostAccessPolicy.of("deny", list(), list(), list());

        HostAccessReview review = deny.review(manifest(module("a", "{}"), module("b", ROOT_ACCESS)));

        assertThat(review.refused()).isTrue();
        assertThat(review.refusal()).startsWith("deployment refused by the host access policy (hostAccess = deny in "
                + "etc/io.outpost.agent.policy.cfg): module 'b': createOptions HostConfig.Privileged = true "
                + "(privileged container) is not allowed under hostAccess = deny; module 'b': createOptions "
                + "HostConfig.Binds[0] = /var/run/docker.sock (bind of host path /var/run/docker.sock) is not allowed, "
                + "not under allowedBindPaths");
        assertThat(deny.review(manifest(module("a", "{}"))).refused()).isFalse();
    }

    @Test
    void givenAllowLists_whenDeny_thenListedSettingsPassAndOthersAreRefused() throws Exception {
        Path data = Files.createDirectories(tmp.resolve("data"));
        HostAccessPolicy deny = HostAccessPolicy.of(" Deny ", list(data.toString()), list("/dev/ttyUSB0, c 188:* rmw"),
                list("net_admin", "CAP_SYS_TIME"));

        HostAccessReview ok = deny.review(manifest(module("a", "{\"HostConfig\":{\"Binds\":[\"" + data
                + "/app:/app\"],\"Devices\":[{\"PathOnHost\":\"/dev/ttyUSB0\",\"PathInContainer\":\"/dev/ttyUSB0\"}],"
                + "\"DeviceCgroupRules\":[\"c 188:*  rmw\"],\"CapAdd\":[\"NET_ADMIN\",\"sys_time\"]}}")));
        assertThat(ok.refused()).isFalse();
        assertThat(ok.findings()).extracting(f -> f.allowList().orElse("-")).containsExactly("allowedBindPaths",
                "allowedDevices", "allowedDevices", "allowedCapabilities", "allowedCapabilities");

        HostAccessReview escape = deny.review(manifest(module("a", "{\"HostConfig\":{\"Binds\":[\"" + data
                + "/../..:/h\",\"" + data + "x:/y\"],\"CapAdd\":[\"SYS_ADMIN\"],\"Devices\":[{\"PathOnHost\":\"/dev/sda\"}]}}")));
        assertThat(escape.refused()).isTrue();
        assertThat(escape.unlisted()).extracting(f -> f.access().field()).containsExactly("HostConfig.Binds[0]",
                "HostConfig.Binds[1]", "HostConfig.Devices[0].PathOnHost", "HostConfig.CapAdd[0]");
        assertThat(escape.refusal()).contains("not in allowedCapabilities").contains("not in allowedDevices");
    }

    @Test
    void givenSymbolicLinkUnderAllowedPathPointingOut_whenReviewed_thenNotAllowListed() throws Exception {
        Path data = Files.createDirectories(tmp.resolve("data"));
        Path outside = Files.createDirectories(tmp.resolve("outside"));
        Files.createSymbolicLink(data.resolve("link"), outside);
        Files.createDirectories(data.resolve("real"));
        HostAccessPolicy policy = HostAccessPolicy.of("deny", list(data.toString()), list(), list());

        assertThat(policy.allowList(new HostAccess(HostAccess.Kind.BIND, "Binds[0]", data + "/link"))).isEmpty();
        assertThat(policy.allowList(new HostAccess(HostAccess.Kind.BIND, "Binds[0]", data + "/real")))
                .contains("allowedBindPaths");
        assertThat(policy.allowList(new HostAccess(HostAccess.Kind.BIND, "Binds[0]", "relative/path"))).isEmpty();
    }

    @Test
    void givenWarn_whenModuleStatusAnnotated_thenUnlistedSettingsAreAddedOnce() {
        HostAccessReview review = HostAccessPolicy.of("warn", list(), list(), list("NET_ADMIN"))
                .review(manifest(module("a", "{\"HostConfig\":{\"CapAdd\":[\"NET_ADMIN\",\"SYS_ADMIN\"],"
                        + "\"PidMode\":\"host\"}}")));
        ModuleStatus running = new ModuleStatus("a", "running", RuntimeStatus.RUNNING, "running", 0, 0,
                Optional.empty(), Optional.empty(), Optional.empty(), "img-a", "always", 0, Optional.empty());

        ModuleStatus annotated = review.annotate(running);

        assertThat(annotated.statusDescription())
                .isEqualTo("running; host access: HostConfig.CapAdd[1]=SYS_ADMIN, HostConfig.PidMode=host");
        assertThat(review.annotate(annotated)).isEqualTo(annotated);
        assertThat(HostAccessPolicy.of("allow", list(), list(), list()).review(manifest(module("a", ROOT_ACCESS)))
                .annotate(running)).isEqualTo(running);
    }

    @Test
    void givenBadSettings_whenPolicyMade_thenRefusedNamingTheProperty() {
        assertThatThrownBy(() -> HostAccessPolicy.of("block", list(), list(), list()))
                .hasMessage("hostAccess must be allow, warn or deny, was 'block'");
        assertThatThrownBy(() -> HostAccessPolicy.of("deny", list("data"), list(), list()))
                .hasMessage("allowedBindPaths entry 'data' must be an absolute path");
        assertThatThrownBy(() -> HostAccessPolicy.of("deny", list(), list("/dev/ttyS1", "ttyS0"), list()))
                .hasMessage("allowedDevices entry 'ttyS0' must be an absolute device path or a device cgroup rule "
                        + "such as 'c 188:* rwm'");
        assertThatThrownBy(() -> HostAccessPolicy.of("deny", list(), list(), list("SYS ADMIN")))
                .hasMessage("allowedCapabilities entry 'SYS ADMIN' is not a capability name");
    }

    @Test
    void givenNoConfiguration_whenComponentActivated_thenShippedDefaultsAreWarnWithoutAllowLists() {
        HostAccessPolicyComponent.Config defaults = (HostAccessPolicyComponent.Config) java.lang.reflect.Proxy
                .newProxyInstance(getClass().getClassLoader(), new Class<?>[] {HostAccessPolicyComponent.Config.class},
                        (proxy, method, args) -> method.getDefaultValue());

        assertThat(new HostAccessPolicyComponent(defaults).policy()).isEqualTo(HostAccessPolicy.defaults());
    }

    @Test
    void givenValueWithControlCharacters_whenShown_thenEscapedAndCut() {
        assertThat(HostAccessReview.shown("/a\nb\"c")).isEqualTo("/a\\u000ab\\\"c");
        assertThat(HostAccessReview.shown("x".repeat(500))).hasSize(123).endsWith("...");
    }
}

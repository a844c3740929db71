package io.outpost.manifest;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.outpost.manifest.HostAccess.Kind;
import org.junit.jupiter.api.Test;

/** The host access settings found in real createOptions, as manifests for Azure IoT Edge write them. */
class HostAccessTest {

    private static HostAccess access(Kind kind, String field, String value) {
        return new HostAccess(kind, field, value);
    }

    @Test
    void givenEdgeHubsStockOptions_whenScanned_thenNothingIsFound() {
        assertThat(HostAccess.of("{\"HostConfig\":{\"PortBindings\":{\"5671/tcp\":[{\"HostPort\":\"5671\"}],"
                + "\"8883/tcp\":[{\"HostPort\":\"8883\"}],\"443/tcp\":[{\"HostPort\":\"443\"}]}}}")).isEmpty();
        assertThat(HostAccess.of("")).isEmpty();
        assertThat(HostAccess.of("{}")).isEmpty();
        assertThat(HostAccess.of("{\"HostConfig\":{\"Privileged\":false,\"NetworkMode\":\"none\","
                + "\"Binds\":[\"data:/data\",\"/anonymous\"],\"SecurityOpt\":[\"no-new-privileges\"]},"
                + "\"Env\":[\"Privileged=true\"]}")).isEmpty();
    }

    @Test
    void givenDockerSocketAndPrivileged_whenScanned_thenBothAreFoundWithTheirFields() {
        String options = "{\"HostConfig\":{\"Privileged\":true,"
                + "\"Binds\":[\"/var/run/docker.sock:/var/run/docker.sock\",\"/:/host:ro\",\"logs:/logs\"]}}";
        assertThat(HostAccess.of(options)).containsExactly(
                access(Kind.PRIVILEGED, "HostConfig.Privileged", "true"),
                access(Kind.BIND, "HostConfig.Binds[0]", "/var/run/docker.sock"),
                access(Kind.BIND, "HostConfig.Binds[1]", "/"));
        assertThat(HostAccess.of(options).get(1)).hasToString("HostConfig.Binds[0]=/var/run/docker.sock");
    }

    @Test
    void givenAzureCamelAndLowerCaseSpelling_whenScanned_thenFoundAsTheEngineReadsThem() {
        assertThat(HostAccess.of("{\"hostConfig\":{\"privileged\":true,\"capAdd\":[\"cap_sys_admin\",\"NET_ADMIN\"],"
                + "\"pidMode\":\"host\",\"binds\":[\"/run/docker.sock:/var/run/docker.sock\"]}}")).containsExactly(
                        access(Kind.PRIVILEGED, "hostConfig.privileged", "true"),
                        access(Kind.BIND, "hostConfig.binds[0]", "/run/docker.sock"),
                        access(Kind.CAPABILITY, "hostConfig.capAdd[0]", "SYS_ADMIN"),
                        access(Kind.CAPABILITY, "hostConfig.capAdd[1]", "NET_ADMIN"),
                        access(Kind.HOST_NAMESPACE, "hostConfig.pidMode", "host"));
        assertThat(HostAccess.of("{\"hostconfig\":{\"networkmode\":\"host\",\"ipcmode\":\"host\"}}"))
                .containsExactly(access(Kind.HOST_NAMESPACE, "hostconfig.networkmode", "host"),
                        access(Kind.HOST_NAMESPACE, "hostconfig.ipcmode", "host"));
    }

    @Test
    void givenHostConfigFieldsAtTopLevel_whenScanned_thenFound() {
        // The engine reads the host-config fields from the top level when HostConfig is absent.
        assertThat(HostAccess.of("{\"Image\":\"x\",\"Privileged\":true,\"Binds\":[\"/:/host\"]}")).containsExactly(
                access(Kind.PRIVILEGED, "Privileged", "true"), access(Kind.BIND, "Binds[0]", "/"));
    }

    @Test
    void givenOneFieldSpeltTwoWays_whenScanned_thenEachSpellingIsFound() {
        assertThat(HostAccess.of("{\"HostConfig\":{\"Privileged\":false,\"privileged\":true}}"))
                .containsExactly(access(Kind.PRIVILEGED, "HostConfig.privileged", "true"));
        assertThat(HostAccess.of("{\"HostConfig\":{},\"hostconfig\":{\"Privileged\":true}}"))
                .containsExactly(access(Kind.PRIVILEGED, "hostconfig.Privileged", "true"));
    }

    @Test
    void givenDevicesAndCgroupRules_whenScanned_thenHostPathsAndRulesAreFound() {
        assertThat(HostAccess.of("{\"HostConfig\":{\"Devices\":[{\"PathOnHost\":\"/dev/ttyACM0\","
                + "\"PathInContainer\":\"/dev/ttyACM0\",\"CgroupPermissions\":\"rwm\"}],"
                + "\"DeviceCgroupRules\":[\"c 188:* rmw\"]}}")).containsExactly(
                        access(Kind.DEVICE, "HostConfig.Devices[0].PathOnHost", "/dev/ttyACM0"),
                        access(Kind.DEVICE, "HostConfig.DeviceCgroupRules[0]", "c 188:* rmw"));
    }

    @Test
    void givenMountsOfTheHost_whenScanned_thenBindsAndBindBackedVolumesAreFound() {
        assertThat(HostAccess.of("{\"HostConfig\":{\"Mounts\":["
                + "{\"Type\":\"bind\",\"Source\":\"/etc/iotedge/storage\",\"Target\":\"/iotedge/storage\"},"
                + "{\"Type\":\"volume\",\"Source\":\"edgestore\",\"Target\":\"/store\"},"
                + "{\"Type\":\"volume\",\"Target\":\"/h\",\"VolumeOptions\":{\"DriverConfig\":{\"Name\":\"local\","
                + "\"Options\":{\"type\":\"none\",\"o\":\"bind\",\"device\":\"/\"}}}},"
                + "{\"Type\":\"tmpfs\",\"Target\":\"/tmp\"}]}}")).containsExactly(
                        access(Kind.BIND, "HostConfig.Mounts[0].Source", "/etc/iotedge/storage"),
                        access(Kind.BIND, "HostConfig.Mounts[2].VolumeOptions.DriverConfig.Options.device", "/"));
    }

    @Test
    void givenConfinementTurnedOff_whenScanned_thenEachOptionIsFound() {
        assertThat(HostAccess.of("{\"HostConfig\":{\"SecurityOpt\":[\"seccomp=unconfined\",\"apparmor:unconfined\","
                + "\"label=disable\",\"no-new-privileges:true\"],\"MaskedPaths\":[],\"UTSMode\":\"host\","
                + "\"UsernsMode\":\"host\",\"CgroupnsMode\":\"host\"}}")).containsExactly(
                        access(Kind.HOST_NAMESPACE, "HostConfig.UTSMode", "host"),
                        access(Kind.HOST_NAMESPACE, "HostConfig.UsernsMode", "host"),
                        access(Kind.HOST_NAMESPACE, "HostConfig.CgroupnsMode", "host"),
                        access(Kind.SECURITY_OPTION, "HostConfig.SecurityOpt[0]", "seccomp=unconfined"),
                        access(Kind.SECURITY_OPTION, "HostConfig.SecurityOpt[1]", "apparmor:unconfined"),
                        access(Kind.SECURITY_OPTION, "HostConfig.SecurityOpt[2]", "label=disable"),
                        access(Kind.SECURITY_OPTION, "HostConfig.MaskedPaths", "[]"));
    }

    @Test
    void givenCapAddAll_whenScanned_thenAllIsOneCapability() {
        assertThat(HostAccess.of("{\"HostConfig\":{\"CapAdd\":[\"ALL\"],\"CapDrop\":[\"NET_RAW\"]}}"))
                .containsExactly(access(Kind.CAPABILITY, "HostConfig.CapAdd[0]", "ALL"));
    }

    @Test
    void givenTextThatIsNoObject_whenScanned_thenRefused() {
        assertThatThrownBy(() -> HostAccess.of("[1]")).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("createOptions must be a JSON object");
        assertThatThrownBy(() -> HostAccess.of("{\"a\":1,\"a\":2}")).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("createOptions is not valid JSON");
    }
}

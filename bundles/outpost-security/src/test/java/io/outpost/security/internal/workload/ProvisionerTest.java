package io.outpost.security.internal.workload;

import static org.assertj.core.api.Assertions.assertThat;

import io.outpost.common.ManualClock;
import io.outpost.security.Identity;
import io.outpost.security.ModuleEnvironment;
import io.outpost.security.internal.FileIdentityStore;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

@Tag("integration")
class ProvisionerTest {

    @TempDir
    Path dir;

    @Test
    void givenModule_whenProvisioned_thenEnvironmentMatchesWhatAzureSdksRead() throws Exception {
        FileIdentityStore ids = new FileIdentityStore(dir.resolve("ids.properties"), ManualClock.atEpochOf2026());
        try (WorkloadServer workload = new WorkloadServer(dir.resolve("workload"), ids, null)) {
            Provisioner p = new Provisioner(ids, workload, "outpost-hub.local", "gateway.local");

            ModuleEnvironment first = p.provision("dev1", "filter", false);
            ModuleEnvironment same = p.provision("dev1", "filter", false);
            ModuleEnvironment recreated = p.provision("dev1", "filter", true);

            Identity id = ids.find("dev1", Optional.of("filter")).orElseThrow();
            assertThat(recreated.env()).containsEntry("IOTEDGE_MODULEGENERATIONID", id.generationId())
                    .containsEntry("IOTEDGE_DEVICEID", "dev1").containsEntry("IOTEDGE_MODULEID", "filter")
                    .containsEntry("IOTEDGE_IOTHUBHOSTNAME", "outpost-hub.local")
                    .containsEntry("IOTEDGE_GATEWAYHOSTNAME", "gateway.local")
                    .containsEntry("IOTEDGE_WORKLOADURI", "unix:///var/run/iotedge/workload.sock")
                    .containsEntry("IOTEDGE_APIVERSION", "2019-01-30")
                    .containsEntry("IOTEDGE_AUTHSCHEME", "sasToken");
            assertThat(same.env()).isEqualTo(first.env());
            assertThat(recreated.env().get("IOTEDGE_MODULEGENERATIONID"))
                    .isNotEqualTo(first.env().get("IOTEDGE_MODULEGENERATIONID"));
            assertThat(recreated.bind()).isEqualTo(dir.resolve("workload/filter").toAbsolutePath() + ":/var/run/iotedge");
            assertThat(recreated.hostSocketPath()).endsWith("/workload/filter/workload.sock");
            assertThat(Files.exists(Path.of(recreated.hostSocketPath()))).isTrue();

            workload.close("filter");
            p.serve("dev1", "filter");
            assertThat(Files.exists(Path.of(recreated.hostSocketPath()))).isTrue();
            p.retire("dev1", "filter");
            assertThat(ids.find("dev1", Optional.of("filter"))).isEmpty();
            assertThat(Files.exists(Path.of(recreated.hostSocketPath()))).isFalse();
        }
    }
}

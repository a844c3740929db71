package io.outpost.cloud.endpoint.internal;

import static org.assertj.core.api.Assertions.assertThat;

import io.outpost.cloud.DeviceAuth;
import io.outpost.cloud.store.testing.CloudStoreFixture;
import io.outpost.common.SystemClock;
import io.outpost.iothub.ClientIdentity;
import io.outpost.iothub.auth.Accepted;
import io.outpost.iothub.auth.AuthenticatorCore;
import io.outpost.iothub.auth.Refusals;
import io.outpost.iothub.testing.AuthenticatorContract;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The authentication cases the edge runs too, over the cloud's real registry (H2), and the cloud's policy named:
 * tokens live at most {@code maxTokenLifetimeSecs}, a device's key opens its modules (also unregistered ones), an
 * enabled parent's key its children, a disabled device nothing.
 */
class CloudAuthenticatorContractTest extends AuthenticatorContract {

    @TempDir
    Path dir;

    CloudStoreFixture store;
    Authenticator authenticator;

    @BeforeEach
    void open() {
        store = CloudStoreFixture.openH2(dir.resolve("registry"), 4, 100, SystemClock.INSTANCE);
        authenticator = new Authenticator(store.registry(), hub(), Duration.ofDays(7));
    }

    @AfterEach
    void close() {
        store.close();
    }

    private static final String KEY_A = keyFor(ClientIdentity.device("key-a"));
    private static final String KEY_B = keyFor(ClientIdentity.device("key-b"));

    @Override
    protected String registerSas(ClientIdentity identity) {
        return registerSas(identity, keyFor(identity));
    }

    private String registerSas(ClientIdentity identity, String base64Key) {
        DeviceAuth auth = new DeviceAuth.SymmetricKeys(base64Key, "");
        if (identity.isModule()) {
            store.registry().createModule(identity.deviceId(), identity.moduleId().get(), auth);
        } else {
            store.registry().create(identity.deviceId(), auth, "{}");
        }
        return base64Key;
    }

    @Override
    protected void registerThumbprint(String deviceId, String hex) {
        store.registry().create(deviceId, new DeviceAuth.X509Thumbprints(hex, ""), "{}");
    }

    @Override
    protected AuthenticatorCore core() {
        return authenticator.core();
    }

    @Override
    protected String hub() {
        return DeviceClients.HUB;
    }

    @Test
    void givenCloudPolicyOfSevenDayTokens_whenTokenExpiresLater_thenRefusedTokenLifetime() {
        registerSas(ClientIdentity.device("dev-a"), KEY_A);

        assertThat(core().authenticate(withToken("dev-a", token("devices/dev-a", KEY_A,
                start.plus(Duration.ofDays(7)))), start)).isInstanceOf(Accepted.class);
        assertRefused(withToken("dev-a", token("devices/dev-a", KEY_A, start.plus(Duration.ofDays(7))
                .plusSeconds(1))), start, Refusals.TOKEN_LIFETIME);
    }

    @Test
    void givenCloudPolicy_whenModulesAndChildrenUseTheirDevicesOrParentsKey_thenAcceptedUntilDisabled() {
        registerSas(ClientIdentity.device("edge-1"), KEY_A);
        store.registry().create("leaf-1", new DeviceAuth.SymmetricKeys(KEY_B, ""), "{}", Optional.of("edge-1"));

        assertThat(core().authenticate(withToken("edge-1/$edgeHub", token("devices/edge-1/modules/$edgeHub", KEY_A,
                start.plusSeconds(60))), start)).isInstanceOf(Accepted.class);
        assertThat(core().authenticate(withToken("leaf-1", token("devices/leaf-1", KEY_A, start.plusSeconds(60))),
                start)).isInstanceOf(Accepted.class);
        store.registry().setEnabled("edge-1", false);
        assertRefused(withToken("leaf-1", token("devices/leaf-1", KEY_A, start.plusSeconds(60))), start,
                Refusals.TOKEN_SIGNATURE);
        assertRefused(withToken("edge-1/$edgeHub", token("devices/edge-1/modules/$edgeHub", KEY_A,
                start.plusSeconds(60))), start, Refusals.DEVICE_DISABLED);
    }
}

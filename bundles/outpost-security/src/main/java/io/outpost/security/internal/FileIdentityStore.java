package io.outpost.security.internal;

import io.outpost.common.Clock;
import io.outpost.common.OutpostException;
import io.outpost.pki.SecretFiles;
import io.outpost.security.Identity;
import io.outpost.security.Identity.AuthType;
import io.outpost.security.IdentityService;
import io.outpost.security.SecurityErrorCode;
import java.io.IOException;
import java.io.StringReader;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Comparator;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.TreeMap;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Identities in one properties file ({@code identities.properties}, mode 600): every change is written before
 * it is returned. Keys are 32 random bytes from {@link SecureRandom}, base64; they are never logged.
 */
public final class FileIdentityStore implements IdentityService {

    private static final Logger LOG = LoggerFactory.getLogger(FileIdentityStore.class);
    private static final Pattern THUMBPRINT = Pattern.compile("[0-9A-Fa-f]{40}|[0-9A-Fa-f]{64}");

    private final Path file;
    private final Clock clock;
    private final SecureRandom random = new SecureRandom();
    private final Map<String, Identity> identities = new TreeMap<>();

    public FileIdentityStore(Path file, Clock clock) {
        this.file = file;
        this.clock = clock;
        load();
    }

    @Override
    public synchronized Identity moduleIdentity(String deviceId, String moduleId) {
        Identity existing = identities.get(deviceId + "/" + moduleId);
        return existing != null ? existing : put(newSas(deviceId, Optional.of(moduleId)));
    }

    @Override
    public synchronized Identity rotateModuleIdentity(String deviceId, String moduleId) {
        Identity rotated = put(newSas(deviceId, Optional.of(moduleId)));
        // the generation names the key in the workload API's paths: it is never logged
        LOG.info("identity-rotated identity={}", rotated.name());
        return rotated;
    }

    @Override
    public synchronized Identity addDevice(String deviceId) {
        requireAbsent(deviceId);
        return put(newSas(deviceId, Optional.empty()));
    }

    @Override
    public synchronized Identity addDeviceWithThumbprint(String deviceId, String thumbprint) {
        if (thumbprint == null || !THUMBPRINT.matcher(thumbprint).matches()) {
            throw new IllegalArgumentException("thumbprint must be 40 or 64 hex digits (SHA-1 or SHA-256): " + thumbprint);
        }
        requireAbsent(deviceId);
        return put(new Identity(deviceId, Optional.empty(), AuthType.X509_THUMBPRINT, Optional.empty(),
                Optional.of(thumbprint.toUpperCase(java.util.Locale.ROOT)), generation(), clock.now()));
    }

    @Override
    public synchronized Identity addDeviceWithCa(String deviceId) {
        requireAbsent(deviceId);
        return put(new Identity(deviceId, Optional.empty(), AuthType.X509_CA, Optional.empty(), Optional.empty(),
                generation(), clock.now()));
    }

    @Override
    public synchronized Optional<Identity> find(String deviceId, Optional<String> moduleId) {
        return Optional.ofNullable(identities.get(deviceId + moduleId.map(m -> "/" + m).orElse("")));
    }

    @Override
    public synchronized boolean remove(String deviceId, Optional<String> moduleId) {
        boolean removed = identities.remove(deviceId + moduleId.map(m -> "/" + m).orElse("")) != null;
        if (removed) {
            save();
        }
        return removed;
    }

    @Override
    public synchronized List<Identity> list() {
        List<Identity> all = new ArrayList<>(identities.values());
        all.sort(Comparator.comparing(Identity::name));
        return all;
    }

    private void requireAbsent(String deviceId) {
        if (identities.containsKey(deviceId)) {
            throw new OutpostException(SecurityErrorCode.IDENTITY_EXISTS, "device '" + deviceId + "' already exists");
        }
    }

    private Identity newSas(String deviceId, Optional<String> moduleId) {
        byte[] key = new byte[32];
        random.nextBytes(key);
        return new Identity(deviceId, moduleId, AuthType.SAS, Optional.of(Base64.getEncoder().encodeToString(key)),
                Optional.empty(), generation(), clock.now());
    }

    private String generation() {
        byte[] g = new byte[8];
        random.nextBytes(g);
        return HexFormat.of().formatHex(g);
    }

    private Identity put(Identity identity) {
        identities.put(identity.name(), identity);
        save();
        return identity;
    }

    private void save() {
        Properties p = new Properties();
        identities.forEach((name, id) -> {
            p.setProperty(name + ".auth", id.auth().name());
            id.primaryKey().ifPresent(k -> p.setProperty(name + ".key", k));
            id.thumbprint().ifPresent(t -> p.setProperty(name + ".thumbprint", t));
            p.setProperty(name + ".generation", id.generationId());
            p.setProperty(name + ".created", id.createdAt().toString());
        });
        try {
            StringWriter w = new StringWriter();
            p.store(w, "Outpost identities: secrets, readable by the owner only");
            SecretFiles.write(file, w.toString().getBytes(StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new OutpostException(SecurityErrorCode.CRYPTO_FAILED, "cannot write " + file + ": " + e.getMessage(), e);
        }
    }

    private void load() {
        if (!Files.isRegularFile(file)) {
            return;
        }
        Properties p = new Properties();
        try {
            p.load(new StringReader(Files.readString(file, StandardCharsets.UTF_8)));
        } catch (IOException e) {
            throw new OutpostException(SecurityErrorCode.CRYPTO_FAILED, "cannot read " + file + ": " + e.getMessage(), e);
        }
        for (String key : p.stringPropertyNames()) {
            if (key.endsWith(".auth")) {
                String name = key.substring(0, key.length() - ".auth".length());
                int slash = name.indexOf('/');
                Optional<String> module = slash < 0 ? Optional.empty() : Optional.of(name.substring(slash + 1));
                String device = slash < 0 ? name : name.substring(0, slash);
                identities.put(name, new Identity(device, module, AuthType.valueOf(p.getProperty(key)),
                        Optional.ofNullable(p.getProperty(name + ".key")),
                        Optional.ofNullable(p.getProperty(name + ".thumbprint")),
                        p.getProperty(name + ".generation", "0"),
                        Instant.parse(p.getProperty(name + ".created", Instant.EPOCH.toString()))));
            }
        }
    }
}

package io.outpost.cloud.web.internal;

import io.outpost.cloud.CloudErrorCode;
import io.outpost.cloud.web.ApiToken;
import io.outpost.cloud.web.ApiTokens;
import io.outpost.cloud.web.IssuedToken;
import io.outpost.cloud.web.TokenScope;
import io.outpost.common.Clock;
import io.outpost.common.OutpostException;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.FileTime;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * API tokens in a file (by default {@code etc/outpost-cloud.tokens}, mode 600), one token a line:
 * <pre>
 * # id scope sha256-of-token created-at description
 * 3f9a0c1e7b2d admin 9b71d2...c3 2026-01-01T00:00:00Z initial admin token
 * </pre>
 * A token reads {@code <id>.<secret>}: 12 hex digits, a dot and 32 random bytes in base64url. Only the SHA-256
 * of the whole token is stored. The file is read again when it changes on disk, so a token revoked by editing
 * it (or by another node sharing it) stops working without a restart.
 */
public final class FileTokenStore implements ApiTokens {

    private static final Logger LOG = LoggerFactory.getLogger(FileTokenStore.class);
    private static final Pattern ID = Pattern.compile("[0-9a-f]{12}");
    private static final SecureRandom RANDOM = new SecureRandom();
    private static final boolean POSIX = FileSystems.getDefault().supportedFileAttributeViews().contains("posix");

    private record Entry(ApiToken token, byte[] hash) {
    }

    private final Path file;
    private final Clock clock;
    private List<Entry> entries = List.of();
    private FileTime loadedModified;
    private long loadedSize = -1;

    public FileTokenStore(Path file, Clock clock) {
        this.file = file;
        this.clock = clock;
    }

    public Path file() {
        return file;
    }

    /**
     * On first start (no tokens file yet): issues an admin token and writes it to {@code tokenFile}, readable by
     * the owner only. Returns whether it did. The token itself is never logged.
     */
    public synchronized boolean initialize(Path tokenFile) {
        if (Files.exists(file)) {
            return false;
        }
        IssuedToken issued = create(TokenScope.ADMIN, "initial admin token");
        writePrivate(tokenFile, issued.bearer() + "\n");
        LOG.info("api-token-initial id={} scope=admin file={}", issued.token().id(), tokenFile);
        return true;
    }

    @Override
    public synchronized IssuedToken create(TokenScope scope, String description) {
        String desc = description == null ? "" : description.replaceAll("[\\r\\n]", " ").strip();
        byte[] idBytes = new byte[6];
        byte[] secret = new byte[32];
        RANDOM.nextBytes(idBytes);
        RANDOM.nextBytes(secret);
        String id = HexFormat.of().formatHex(idBytes);
        String bearer = id + "." + Base64.getUrlEncoder().withoutPadding().encodeToString(secret);
        ApiToken token = new ApiToken(id, scope, clock.now(), desc);
        List<Entry> next = new ArrayList<>(load());
        next.add(new Entry(token, sha256(bearer)));
        save(next);
        LOG.info("api-token-created id={} scope={}", id, scope.wireName());
        return new IssuedToken(token, bearer);
    }

    @Override
    public synchronized List<ApiToken> list() {
        return load().stream().map(Entry::token).sorted(java.util.Comparator.comparing(ApiToken::id)).toList();
    }

    @Override
    public synchronized boolean revoke(String id) {
        List<Entry> current = load();
        List<Entry> next = current.stream().filter(e -> !e.token().id().equals(id)).toList();
        if (next.size() == current.size()) {
            return false;
        }
        save(next);
        LOG.info("api-token-revoked id={}", id);
        return true;
    }

    @Override
    public Optional<ApiToken> authenticate(String bearer) {
        if (bearer == null) {
            return Optional.empty();
        }
        int dot = bearer.indexOf('.');
        if (dot != 12 || !ID.matcher(bearer.substring(0, dot)).matches()) {
            return Optional.empty();
        }
        String id = bearer.substring(0, dot);
        byte[] hash = sha256(bearer);
        List<Entry> current;
        synchronized (this) {
            current = load();
        }
        for (Entry e : current) {
            if (e.token().id().equals(id) && MessageDigest.isEqual(e.hash(), hash)) {
                return Optional.of(e.token());
            }
        }
        return Optional.empty();
    }

    /** The entries, read again when the file changed since the last read. */
    private List<Entry> load() {
        try {
            FileTime modified = Files.getLastModifiedTime(file);
            long size = Files.size(file);
            if (modified.equals(loadedModified) && size == loadedSize) {
                return entries;
            }
            List<Entry> read = new ArrayList<>();
            int lineNo = 0;
            for (String line : Files.readAllLines(file, StandardCharsets.UTF_8)) {
                lineNo++;
                String l = line.strip();
                if (l.isEmpty() || l.startsWith("#")) {
                    continue;
                }
                String[] f = l.split("\\s+", 5);
                try {
                    if (f.length < 4 || !ID.matcher(f[0]).matches() || f[2].length() != 64) {
                        throw new IllegalArgumentException("expected: id scope sha256 created-at [description]");
                    }
                    read.add(new Entry(new ApiToken(f[0], TokenScope.parse(f[1]), Instant.parse(f[3]),
                            f.length > 4 ? f[4] : ""), HexFormat.of().parseHex(f[2])));
                } catch (RuntimeException e) {
                    LOG.warn("api-token-line-ignored file={} line={} reason={}", file, lineNo, e.getMessage());
                }
            }
            entries = List.copyOf(read);
            loadedModified = modified;
            loadedSize = size;
            return entries;
        } catch (NoSuchFileException e) {
            entries = List.of();
            loadedModified = null;
            loadedSize = -1;
            return entries;
        } catch (IOException e) {
            throw new OutpostException(CloudErrorCode.STORE_UNAVAILABLE, "tokens file " + file + " cannot be read: "
                    + e.getMessage(), e);
        }
    }

    private void save(List<Entry> next) {
        StringBuilder text = new StringBuilder()
                .append("# Outpost Cloud API tokens: id scope sha256-of-token created-at description\n")
                .append("# Only hashes are kept. Remove a line (or run cloud:token-revoke ID) to revoke a token.\n");
        for (Entry e : next) {
            ApiToken t = e.token();
            text.append(t.id()).append(' ').append(t.scope().wireName()).append(' ')
                    .append(HexFormat.of().formatHex(e.hash())).append(' ').append(t.createdAt()).append(' ')
                    .append(t.description()).append('\n');
        }
        writePrivate(file, text.toString());
        entries = List.copyOf(next);
        try {
            loadedModified = Files.getLastModifiedTime(file);
            loadedSize = Files.size(file);
        } catch (IOException e) {
            loadedModified = null;
        }
    }

    /** Writes a file readable and writable by its owner only (mode 600), replacing it atomically. */
    static void writePrivate(Path target, String content) {
        try {
            Path dir = target.toAbsolutePath().getParent();
            Files.createDirectories(dir);
            Path tmp = dir.resolve("." + target.getFileName() + ".tmp");
            Files.deleteIfExists(tmp);
            if (POSIX) {
                Files.createFile(tmp, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
            } else {
                Files.createFile(tmp);
            }
            Files.writeString(tmp, content, StandardCharsets.UTF_8);
            try {
                Files.move(tmp, target, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
            } catch (AtomicMoveNotSupportedException e) {
                Files.move(tmp, target, StandardCopyOption.REPLACE_EXISTING);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + target, e);
        }
    }

    static byte[] sha256(String text) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is missing from this Java runtime", e);
        }
    }
}

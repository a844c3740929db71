package io.outpost.cloud.store.internal;

import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.Reader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Collection;
import java.util.List;
import org.flywaydb.core.api.ResourceProvider;
import org.flywaydb.core.api.resource.LoadableResource;

/**
 * The schema migrations, listed here by name and read from this bundle's class loader. Flyway's class-path
 * scanning is not used: it depends on how the framework spells resource URLs, while a list works the same
 * in Karaf, in tests and in the CLI. A new migration is a new file under {@code db/migration} and a new
 * line in {@link #MIGRATIONS}.
 */
final class MigrationResources implements ResourceProvider {

    static final String LOCATION = "db/migration";
    static final List<String> MIGRATIONS = List.of("V1__registry_twins_deployments_telemetry.sql",
            "V2__device_parent.sql", "V3__c2d_queue.sql");

    @Override
    public LoadableResource getResource(String name) {
        return MIGRATIONS.contains(name) ? new Migration(name) : null;
    }

    @Override
    public Collection<LoadableResource> getResources(String prefix, String[] suffixes) {
        return MIGRATIONS.stream()
                .filter(n -> n.startsWith(prefix) && Arrays.stream(suffixes).anyMatch(n::endsWith))
                .<LoadableResource>map(Migration::new).toList();
    }

    private static final class Migration extends LoadableResource {

        private final String name;

        Migration(String name) {
            this.name = name;
        }

        @Override
        public Reader read() {
            InputStream in = MigrationResources.class.getClassLoader().getResourceAsStream(LOCATION + "/" + name);
            if (in == null) {
                throw new UncheckedIOException(new java.io.FileNotFoundException(LOCATION + "/" + name));
            }
            return new InputStreamReader(in, StandardCharsets.UTF_8);
        }

        @Override
        public String getAbsolutePath() {
            return LOCATION + "/" + name;
        }

        @Override
        public String getAbsolutePathOnDisk() {
            return getAbsolutePath();
        }

        @Override
        public String getFilename() {
            return name;
        }

        @Override
        public String getRelativePath() {
            return name;
        }
    }
}

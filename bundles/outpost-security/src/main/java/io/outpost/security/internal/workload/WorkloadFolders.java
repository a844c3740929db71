package io.outpost.security.internal.workload;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.nio.file.attribute.UserPrincipal;
import java.util.Set;

/**
 * Who may reach the workload sockets. Users of the host: nobody but the runtime's user, because the root folder
 * ({@code data/outpost/workload}) is mode 700, and it and its parent must belong to the runtime's user or root (a
 * folder another user owns could be swapped under us, as one left in {@code /tmp} could). Modules: each reaches its
 * own socket only, because the agent bind-mounts only its module's folder into a container, at
 * {@code /var/run/iotedge}; the root folder is not on the path inside the container. A container's process may run
 * as any uid (the image's {@code USER}, or {@code User} in createOptions) and the runtime, which need not be root,
 * cannot give the socket to that uid; so the module folder is 711 (enter, not list) and the socket 666, and the
 * root folder alone keeps local users out.
 */
final class WorkloadFolders {

    static final Set<PosixFilePermission> ROOT = PosixFilePermissions.fromString("rwx------");
    static final Set<PosixFilePermission> MODULE = PosixFilePermissions.fromString("rwx--x--x");
    static final Set<PosixFilePermission> SOCKET = PosixFilePermissions.fromString("rw-rw-rw-");

    private WorkloadFolders() {
    }

    /** Creates the root folder if needed, checks who owns it and its parent, and narrows it to 700. */
    static void prepareRoot(Path root) throws IOException {
        Files.createDirectories(root);
        if (Files.isSymbolicLink(root)) {
            throw new IOException("the workload folder " + root + " is a symbolic link: give a real folder "
                    + "(setting workloadDir)");
        }
        UserPrincipal me = Files.getOwner(Path.of("/proc/self"));
        requireOwned(root, me);
        Path parent = root.toAbsolutePath().getParent();
        if (parent != null) {
            requireOwned(parent, me);
        }
        Files.setPosixFilePermissions(root, ROOT);
    }

    /** Creates a module's folder if needed and sets it to 711. */
    static void prepareModule(Path folder) throws IOException {
        Files.createDirectories(folder);
        Files.setPosixFilePermissions(folder, MODULE);
    }

    /** Opens a bound socket to the module's container, whatever uid it runs as. */
    static void prepareSocket(Path socket) throws IOException {
        Files.setPosixFilePermissions(socket, SOCKET);
    }

    private static void requireOwned(Path folder, UserPrincipal me) throws IOException {
        UserPrincipal owner = Files.getOwner(folder, LinkOption.NOFOLLOW_LINKS);
        if (!owner.equals(me) && !"root".equals(owner.getName())) {
            throw new IOException("the workload folder " + folder + " belongs to user '" + owner.getName()
                    + "', not to the runtime's user '" + me.getName() + "' or root: another user could replace "
                    + "the sockets in it (setting workloadDir)");
        }
    }
}

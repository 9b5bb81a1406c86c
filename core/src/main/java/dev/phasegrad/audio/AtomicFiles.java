package dev.phasegrad.audio;

import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Set;

/**
 * Write-to-temp-then-rename, so a reader never sees a half-written output and a failed write
 * leaves any previous file untouched.
 */
final class AtomicFiles {
    private AtomicFiles() {
    }

    @FunctionalInterface
    interface Body {
        void writeTo(OutputStream out) throws IOException;
    }

    static void write(Path target, Body body) throws IOException {
        Path abs = target.toAbsolutePath();
        Path dir = abs.getParent();
        if (dir == null) {
            throw new IOException(target + ": has no parent directory");
        }
        if (!Files.isDirectory(dir)) {
            throw new IOException(target + ": directory " + dir + " does not exist");
        }
        // Same directory as the target: a rename within one file system is atomic.
        Path tmp = createTemp(dir, abs);
        boolean done = false;
        try {
            try (OutputStream out = new BufferedOutputStream(Files.newOutputStream(tmp), 1 << 16)) {
                body.writeTo(out);
            }
            try {
                Files.move(tmp, abs, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            } catch (AtomicMoveNotSupportedException e) {
                Files.move(tmp, abs, StandardCopyOption.REPLACE_EXISTING);
            }
            done = true;
        } finally {
            if (!done) {
                Files.deleteIfExists(tmp);
            }
        }
    }

    /**
     * createTempFile alone would leave the output at mode 0600. Give the temp file what a plain
     * overwrite would give: the target's current permissions if it exists, else 0666 minus the
     * process umask (applied by the OS at creation), like any newly created file.
     */
    private static Path createTemp(Path dir, Path target) throws IOException {
        String prefix = "." + target.getFileName() + ".";
        Set<PosixFilePermission> perms;
        try {
            perms = Files.exists(target) ? Files.getPosixFilePermissions(target)
                    : PosixFilePermissions.fromString("rw-rw-rw-");
        } catch (UnsupportedOperationException e) {
            return Files.createTempFile(dir, prefix, ".tmp");
        }
        Path tmp;
        try {
            tmp = Files.createTempFile(dir, prefix, ".tmp", PosixFilePermissions.asFileAttribute(perms));
        } catch (UnsupportedOperationException e) {
            return Files.createTempFile(dir, prefix, ".tmp");
        }
        if (Files.exists(target)) {
            // An existing target's mode is restored exactly, not filtered through the umask.
            Files.setPosixFilePermissions(tmp, perms);
        }
        return tmp;
    }
}

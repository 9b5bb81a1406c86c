package dev.phasegrad.audio;

import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Objects;
import java.util.Set;

/**
 * The project's one write-to-temp-then-rename: every output file (WAV, .npy, JSON, PNG, model
 * checkpoints) goes through here, so a reader never sees a half-written file and a failed write
 * leaves any previous file untouched.
 *
 * <p>The temporary file lives in the target's directory (a rename within one file system is
 * atomic), is named {@code .<target>.<random>.tmp}, gets the permissions a plain overwrite would
 * give (the target's own if it exists, else 0666 minus the umask) and is deleted when the body or
 * the rename fails.
 *
 * <p>Stateless and thread-safe; concurrent writes to different targets are independent.
 */
public final class AtomicFiles {
    private AtomicFiles() {
    }

    /** Writes the file's content to the stream it is given (buffered; closed by {@link AtomicFiles}). */
    @FunctionalInterface
    public interface Body {
        /**
         * Writes the content.
         *
         * @param out where to write it
         * @throws IOException if writing fails; the target is then left as it was
         */
        void writeTo(OutputStream out) throws IOException;
    }

    /**
     * Replaces {@code target} (or creates it) with what {@code body} writes.
     *
     * @param target the file to write
     * @param body   writes the content
     * @throws IOException if the directory is missing, the body fails or the rename fails; the
     *                     target is then unchanged and no temporary file is left behind
     */
    public static void write(Path target, Body body) throws IOException {
        write(target, true, body);
    }

    /**
     * {@link #write(Path, Body)} of a byte array.
     *
     * @param target  the file to write
     * @param content the bytes
     * @throws IOException as {@link #write(Path, Body)}
     */
    public static void write(Path target, byte[] content) throws IOException {
        Objects.requireNonNull(content, "content");
        write(target, true, out -> out.write(content));
    }

    /**
     * Like {@link #write(Path, Body)}; with {@code replace} false the target is published only if
     * no file of that name exists at that moment (a hard link, which fails atomically on an existing
     * name, instead of a rename that would replace it), so a check-then-write race with another
     * process cannot clobber its file.
     *
     * @param target  the file to write
     * @param replace whether an existing file may be replaced
     * @param body    writes the content
     * @throws FileAlreadyExistsException if {@code replace} is false and the target exists
     * @throws IOException as {@link #write(Path, Body)}
     */
    public static void write(Path target, boolean replace, Body body) throws IOException {
        Objects.requireNonNull(target, "target");
        Objects.requireNonNull(body, "body");
        Path abs = target.toAbsolutePath();
        Path dir = abs.getParent();
        if (dir == null) {
            throw new IOException(target + ": has no parent directory");
        }
        if (!Files.isDirectory(dir)) {
            throw new IOException(target + ": directory " + dir + " does not exist");
        }
        if (!replace && Files.exists(abs)) {
            throw new FileAlreadyExistsException(target.toString(), null, "exists; refusing to overwrite it");
        }
        Path tmp = createTemp(dir, abs);
        boolean done = false;
        try {
            try (OutputStream out = new BufferedOutputStream(Files.newOutputStream(tmp), 1 << 16)) {
                body.writeTo(out);
            }
            if (replace) {
                rename(tmp, abs);
            } else {
                publishNew(tmp, abs, target);
            }
            done = true;
        } finally {
            if (!done) {
                Files.deleteIfExists(tmp);
            }
        }
    }

    private static void rename(Path tmp, Path abs) throws IOException {
        try {
            Files.move(tmp, abs, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } catch (AtomicMoveNotSupportedException e) {
            Files.move(tmp, abs, StandardCopyOption.REPLACE_EXISTING);
        }
    }

    private static void publishNew(Path tmp, Path abs, Path target) throws IOException {
        try {
            Files.createLink(abs, tmp);
        } catch (FileAlreadyExistsException e) {
            throw new FileAlreadyExistsException(target.toString(), null, "exists; refusing to overwrite it");
        } catch (UnsupportedOperationException | IOException e) {
            // File systems without hard links (some FUSE/SMB mounts): a plain move without
            // REPLACE_EXISTING still refuses an existing target, only not atomically.
            Files.move(tmp, abs);
            return;
        }
        Files.delete(tmp);
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

package dev.phasegrad.audio;

import java.io.BufferedOutputStream;
import java.io.FilterOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.file.AccessDeniedException;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.DirectoryStream;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The project's one write-to-temp-then-rename: every output file (WAV, .npy, JSON, PNG, model
 * checkpoints) goes through here, so a reader never sees a half-written file and a failed write
 * leaves any previous file untouched.
 *
 * <p>The temporary file lives in the directory of the file finally written (a rename within one
 * file system is atomic), is named {@code .<target>.pg<pid>-<random>.tmp}, gets the permissions a
 * plain overwrite would give (the target's own if it exists, else 0666 minus the umask) and is
 * deleted when the body or the rename fails. A target that is a symbolic link is written through:
 * the link stays and the file it points to (created if missing) gets the content.
 *
 * <p>Leftovers: temporary files being written are deleted by a shutdown hook when the JVM stops on
 * SIGINT/SIGTERM; those of a process that died harder (SIGKILL, power loss) are deleted the first
 * time this process writes into their directory, recognised by the name pattern above and a
 * process id that no longer runs.
 *
 * <p>Failures of the output itself (a full disk, a read-only directory, a failed rename) are
 * IOExceptions whose one-line message names the target as the caller gave it, never the temporary
 * file; what the body throws for other reasons passes through unchanged.
 *
 * <p>Stateless apart from that bookkeeping, and thread-safe; concurrent writes to different targets
 * are independent.
 */
public final class AtomicFiles {
    private static final long PID = ProcessHandle.current().pid();
    private static final Pattern TEMP = Pattern.compile("\\..+\\.pg(\\d+)-\\d+\\.tmp");
    /** Temporary files being written, for the shutdown hook. */
    private static final Set<Path> LIVE = ConcurrentHashMap.newKeySet();
    /** Directories already swept for leftovers by this process. */
    private static final Set<Path> SWEPT = ConcurrentHashMap.newKeySet();

    private static volatile boolean hooked;

    private AtomicFiles() {}

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
     * Writes the file's content to {@code out} and may rewrite what it wrote through {@code channel}
     * (positional writes, e.g. a header patched with sizes known at the end) after flushing {@code out}.
     */
    @FunctionalInterface
    public interface ChannelBody {
        /**
         * Writes the content.
         *
         * @param out     where to write it
         * @param channel the same file, for positional rewrites once {@code out} is flushed
         * @throws IOException if writing fails
         */
        void writeTo(OutputStream out, FileChannel channel) throws IOException;
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
        Objects.requireNonNull(body, "body");
        writeWithChannel(target, replace, (out, channel) -> body.writeTo(out));
    }

    /**
     * {@link #write(Path, boolean, Body)} for a body that also rewrites part of what it wrote.
     *
     * @param target  the file to write
     * @param replace whether an existing file may be replaced
     * @param body    writes the content, and may rewrite part of it through the channel
     * @throws IOException as {@link #write(Path, boolean, Body)}
     */
    public static void writeWithChannel(Path target, boolean replace, ChannelBody body) throws IOException {
        Objects.requireNonNull(target, "target");
        Objects.requireNonNull(body, "body");
        Path abs = resolveLinks(target.toAbsolutePath());
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
        if (Files.exists(abs) && !Files.isRegularFile(abs)) {
            // a rename would put a regular file in the place of a directory, a device such as /dev/null, or a pipe
            throw new IOException(target + ": is " + (Files.isDirectory(abs) ? "a directory" : "not a regular file")
                    + "; refusing to replace it");
        }
        sweep(dir);
        Path tmp;
        try {
            tmp = createTemp(dir, abs);
        } catch (IOException e) {
            throw new IOException(target + ": cannot create a file in " + dir + " (" + reason(e) + ")", e);
        }
        LIVE.add(tmp);
        hook();
        boolean done = false;
        try {
            try (FileChannel channel = FileChannel.open(tmp, StandardOpenOption.WRITE);
                    Guarded out =
                            new Guarded(new BufferedOutputStream(Channels.newOutputStream(channel), 1 << 16), target)) {
                body.writeTo(out, channel);
                out.flush();
            }
            try {
                if (replace) {
                    rename(tmp, abs);
                } else {
                    publishNew(tmp, abs, target);
                }
            } catch (FileAlreadyExistsException e) {
                throw e;
            } catch (IOException e) {
                throw new IOException(target + ": cannot move the finished file into place (" + reason(e) + ")", e);
            }
            done = true;
        } finally {
            LIVE.remove(tmp);
            if (!done) {
                Files.deleteIfExists(tmp);
            }
        }
    }

    /**
     * Deletes, in {@code dir}, temporary files of this class's naming whose writing process no longer
     * runs: what a killed run left behind. Called once per directory and process by every write.
     *
     * @param dir the directory to sweep
     */
    public static void sweep(Path dir) {
        if (!SWEPT.add(dir)) {
            return;
        }
        try (DirectoryStream<Path> files = Files.newDirectoryStream(dir, ".*.pg*-*.tmp")) {
            for (Path f : files) {
                Matcher m = TEMP.matcher(f.getFileName().toString());
                if (!m.matches() || !Files.isRegularFile(f, LinkOption.NOFOLLOW_LINKS)) {
                    continue;
                }
                long pid;
                try {
                    pid = Long.parseLong(m.group(1));
                } catch (NumberFormatException e) {
                    continue;
                }
                if (pid != PID && ProcessHandle.of(pid).map(p -> !p.isAlive()).orElse(true)) {
                    Files.deleteIfExists(f);
                }
            }
        } catch (IOException | RuntimeException e) {
            // a leftover that cannot be listed or deleted harms nothing; the write itself goes on
        }
    }

    private static void hook() {
        if (hooked) {
            return;
        }
        synchronized (AtomicFiles.class) {
            if (!hooked) {
                Runtime.getRuntime()
                        .addShutdownHook(new Thread(
                                () -> {
                                    for (Path p : LIVE) {
                                        try {
                                            Files.deleteIfExists(p);
                                        } catch (IOException e) {
                                            // the JVM is going down; nothing else to do about it
                                        }
                                    }
                                },
                                "phasegrad-temp-cleanup"));
                hooked = true;
            }
        }
    }

    /**
     * Follows symbolic links (relative ones against the link's directory) to the file they name, which
     * need not exist yet; the path itself when it is no link.
     */
    private static Path resolveLinks(Path p) throws IOException {
        Path at = p;
        for (int hops = 0; Files.isSymbolicLink(at); hops++) {
            if (hops == 40) {
                throw new IOException(p + ": too many levels of symbolic links");
            }
            Path to = Files.readSymbolicLink(at);
            Path parent = at.getParent();
            at = (parent == null ? to : parent.resolve(to)).normalize();
        }
        return at;
    }

    /** The reason of an I/O failure without the temporary file's name. */
    static String reason(IOException e) {
        if (e instanceof AccessDeniedException) {
            return "permission denied";
        }
        if (e instanceof NoSuchFileException) {
            return "no such file or directory";
        }
        if (e instanceof FileSystemException) {
            String r = ((FileSystemException) e).getReason();
            return r != null ? r : e.getClass().getSimpleName();
        }
        String m = e.getMessage();
        return m != null ? m : e.getClass().getSimpleName();
    }

    /** The output stream the body writes to: its failures are the target's. */
    private static final class Guarded extends FilterOutputStream {
        private final Path target;

        Guarded(OutputStream out, Path target) {
            super(out);
            this.target = target;
        }

        @Override
        public void write(int b) throws IOException {
            try {
                out.write(b);
            } catch (IOException e) {
                throw failed(e);
            }
        }

        @Override
        public void write(byte[] b, int off, int len) throws IOException {
            try {
                out.write(b, off, len);
            } catch (IOException e) {
                throw failed(e);
            }
        }

        @Override
        public void flush() throws IOException {
            try {
                out.flush();
            } catch (IOException e) {
                throw failed(e);
            }
        }

        @Override
        public void close() throws IOException {
            try {
                out.close();
            } catch (IOException e) {
                throw failed(e);
            }
        }

        private IOException failed(IOException e) {
            return new IOException(target + ": write failed (" + reason(e) + ")", e);
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
        String prefix = "." + target.getFileName() + ".pg" + PID + "-";
        Set<PosixFilePermission> perms;
        try {
            perms = Files.exists(target)
                    ? Files.getPosixFilePermissions(target)
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

package dev.phasegrad.audio;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.AccessDeniedException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Objects;

/**
 * An input file (WAV, .npy, …) is missing, unreadable, malformed or in an unsupported variant.
 *
 * <p>The message is always one line of the form {@code "<file>: <problem>"}, e.g.
 * {@code "speech.wav: not a WAV file (starts with an MP3 ID3 tag)"}, so a command-line tool can
 * print {@link #getMessage()} as it is. The cause, when there is one, is attached for debugging
 * only; its text is never part of the message beyond a short summary.
 */
public class InputFileException extends IOException {
    /** The file as the user named it. */
    private final String file;
    /** What is wrong with it, one line. */
    private final String problem;

    /**
     * @param file    the file as the user named it (path or resource name)
     * @param problem what is wrong with it, one line, no trailing period
     */
    public InputFileException(String file, String problem) {
        this(file, problem, null);
    }

    /**
     * @param file    the file as the user named it (path or resource name)
     * @param problem what is wrong with it, one line, no trailing period
     * @param cause   the underlying exception, kept for debugging; may be null
     */
    public InputFileException(String file, String problem, Throwable cause) {
        super(Objects.requireNonNull(file, "file") + ": " + Objects.requireNonNull(problem, "problem"), cause);
        this.file = file;
        this.problem = problem;
    }

    /** {@return the file as the user named it} */
    public String file() {
        return file;
    }

    /** {@return the problem alone, without the file name} */
    public String problem() {
        return problem;
    }

    /**
     * Reads a whole input file, mapping every failure to one {@link InputFileException} that names the
     * file and the problem (missing, permission, directory, too large): the one read path for WAV and .npy.
     */
    static byte[] readAllBytes(Path file) throws InputFileException {
        Objects.requireNonNull(file, "file");
        String name = file.toString();
        try {
            return Files.readAllBytes(file);
        } catch (NoSuchFileException e) {
            throw new InputFileException(name, "no such file", e);
        } catch (AccessDeniedException e) {
            throw new InputFileException(name, "permission denied", e);
        } catch (IOException e) {
            if (Files.isDirectory(file)) {
                throw new InputFileException(name, "is a directory, not a file", e);
            }
            throw new InputFileException(name, "cannot read (" + e.getClass().getSimpleName() + ")", e);
        } catch (OutOfMemoryError e) {
            throw new InputFileException(name, "too large to read into memory", e);
        }
    }

    /** An input file opened for reading, with its length in bytes. */
    record Opened(InputStream in, long size) {}

    /**
     * Opens an input file for streamed reading, mapping every failure as {@link #readAllBytes} does
     * (a directory, missing, permission, other I/O); the caller closes the stream.
     */
    static Opened open(Path file) throws InputFileException {
        Objects.requireNonNull(file, "file");
        String name = file.toString();
        if (Files.isDirectory(file)) {
            throw new InputFileException(name, "is a directory, not a file");
        }
        InputStream in = null;
        try {
            in = Files.newInputStream(file);
            return new Opened(in, Files.size(file));
        } catch (IOException e) {
            if (in != null) {
                try {
                    in.close();
                } catch (IOException ignored) {
                    // the failure being reported is the size's
                }
            }
            if (e instanceof NoSuchFileException) {
                throw new InputFileException(name, "no such file", e);
            }
            if (e instanceof AccessDeniedException) {
                throw new InputFileException(name, "permission denied", e);
            }
            throw new InputFileException(name, "cannot read (" + e.getClass().getSimpleName() + ")", e);
        }
    }
}

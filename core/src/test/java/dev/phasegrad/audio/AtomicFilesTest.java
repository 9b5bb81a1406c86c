package dev.phasegrad.audio;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class AtomicFilesTest {
    @TempDir
    Path dir;

    private long tmpFiles() throws IOException {
        try (Stream<Path> s = Files.list(dir)) {
            return s.filter(p -> p.getFileName().toString().endsWith(".tmp")).count();
        }
    }

    @Test
    void replacesKeepingTheTargetsPermissions() throws Exception {
        Path f = dir.resolve("r.json");
        Files.writeString(f, "old");
        Files.setPosixFilePermissions(f, PosixFilePermissions.fromString("rw-r-----"));
        AtomicFiles.write(f, "new".getBytes(StandardCharsets.UTF_8));
        assertThat(Files.readString(f)).isEqualTo("new");
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(f)))
                .isEqualTo("rw-r-----");
        assertThat(tmpFiles()).isZero();
    }

    @Test
    void aFailingBodyLeavesTheTargetAndNoTemporaryFile() throws Exception {
        Path f = dir.resolve("out.wav");
        Files.writeString(f, "previous");
        assertThatThrownBy(() -> AtomicFiles.write(f, out -> {
                    out.write(new byte[100_000]);
                    throw new IOException("disk full");
                }))
                .hasMessage("disk full");
        assertThat(Files.readString(f)).isEqualTo("previous");
        assertThat(tmpFiles()).isZero();
    }

    @Test
    void withoutReplaceAnExistingFileIsNeverOverwritten() throws Exception {
        Path f = dir.resolve("o.wav");
        AtomicFiles.write(f, false, out -> out.write(1));
        assertThat(Files.readAllBytes(f)).containsExactly(1);
        assertThatThrownBy(() -> AtomicFiles.write(f, false, out -> out.write(2)))
                .isInstanceOf(FileAlreadyExistsException.class)
                .hasMessageContaining("o.wav: exists");
        // created by someone else while the body ran: the hard-link publish still refuses it
        Path g = dir.resolve("race.wav");
        assertThatThrownBy(() -> AtomicFiles.write(g, false, out -> Files.writeString(g, "theirs")))
                .isInstanceOf(FileAlreadyExistsException.class);
        assertThat(Files.readString(g)).isEqualTo("theirs");
        assertThat(Files.readAllBytes(f)).containsExactly(1);
        assertThat(tmpFiles()).isZero();
    }

    @Test
    void aMissingDirectoryIsNamed() {
        assertThatThrownBy(() -> AtomicFiles.write(dir.resolve("no/such/x.png"), new byte[1]))
                .hasMessageContaining("does not exist");
    }

    @Test
    void aFailingOutputIsNamedAsTheTargetNotItsTemporaryFile() throws Exception {
        Path f = dir.resolve("named.wav");
        assertThatThrownBy(() -> AtomicFiles.writeWithChannel(f, true, (out, channel) -> {
                    channel.close();
                    out.write(new byte[1 << 17]);
                }))
                .hasMessageStartingWith(f + ": write failed (")
                .hasMessageNotContaining(".tmp");
        assertThat(f).doesNotExist();
        assertThat(tmpFiles()).isZero();
    }

    @Test
    void aDeviceOrDirectoryIsNeverReplacedByARename() throws Exception {
        Path sub = Files.createDirectories(dir.resolve("sub"));
        assertThatThrownBy(() -> AtomicFiles.write(sub, new byte[1])).hasMessageContaining("is a directory");
        assertThat(Files.isDirectory(sub)).isTrue();
        Path link = dir.resolve("null.wav");
        Files.createSymbolicLink(link, Path.of("/dev/null"));
        assertThatThrownBy(() -> AtomicFiles.write(link, new byte[1])).hasMessageContaining("not a regular file");
        assertThat(tmpFiles()).isZero();
    }
}

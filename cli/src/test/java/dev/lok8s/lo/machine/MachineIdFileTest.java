package dev.lok8s.lo.machine;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class MachineIdFileTest {

    @TempDir
    Path root;

    @Test
    void theIdIsCreatedOncePrivatelyAndReadEverAfter() throws Exception {
        Path state = root.resolve("state").resolve("lo");

        Machine first = MachineIdFile.load(state, "laptop-a");
        Machine again = MachineIdFile.load(state, "laptop-a-renamed");

        assertThat(again.id()).as("stable across calls and host names").isEqualTo(first.id());
        assertThat(again.hostName()).isEqualTo("laptop-a-renamed");
        assertThat(first.id()).isNotEqualTo(Machine.UNNAMED_ID);
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(state))).isEqualTo("rwx------");
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(state.resolve("machine-id"))))
                .isEqualTo("rw-------");
        try (var files = Files.list(state)) {
            assertThat(files.map(p -> p.getFileName().toString())).as("no temporary file left")
                    .containsExactly("machine-id");
        }
    }

    @Test
    void anotherStateDirectoryIsAnotherMachine() {
        assertThat(MachineIdFile.load(root.resolve("a"), "h").id())
                .isNotEqualTo(MachineIdFile.load(root.resolve("b"), "h").id());
    }

    @Test
    void aCorruptFileIsOneClearError() throws Exception {
        Files.writeString(root.resolve("machine-id"), "not a uuid\n");

        assertThatThrownBy(() -> MachineIdFile.load(root, "h"))
                .isInstanceOf(MachineIdFile.MachineIdException.class)
                .hasMessage("machine id file " + root.resolve("machine-id") + " does not hold a UUID ('not a uuid'):"
                        + " restore it from a backup, or delete it to make this a new machine");
    }

    @Test
    void aLinkToADeviceIsRefusedWithoutReadingIt() throws Exception {
        Files.createSymbolicLink(root.resolve("machine-id"), Path.of("/dev/zero"));

        assertThatThrownBy(() -> MachineIdFile.load(root, "h"))
                .isInstanceOf(MachineIdFile.MachineIdException.class)
                .hasMessage("machine id file " + root.resolve("machine-id") + " is not a regular file: "
                        + "remove it (lo makes a new one), or restore the file from a backup");
    }

    @Test
    @org.junit.jupiter.api.Timeout(value = 20, threadMode = org.junit.jupiter.api.Timeout.ThreadMode.SEPARATE_THREAD)
    void aFifoIsRefusedWithoutWaitingOnIt() throws Exception {
        Path fifo = root.resolve("machine-id");
        Process mkfifo = new ProcessBuilder("mkfifo", fifo.toString()).start();
        assertThat(mkfifo.waitFor()).as("mkfifo").isZero();

        assertThatThrownBy(() -> MachineIdFile.load(root, "h"))
                .isInstanceOf(MachineIdFile.MachineIdException.class)
                .hasMessageContaining("is not a regular file");
    }

    @Test
    void aHugeFileIsRefusedAfterAFewBytes() throws Exception {
        Files.writeString(root.resolve("machine-id"), "1a2b3c4d-1111-4222-8333-444455556666" + " ".repeat(100_000));

        assertThatThrownBy(() -> MachineIdFile.load(root, "h"))
                .isInstanceOf(MachineIdFile.MachineIdException.class)
                .hasMessage("machine id file " + root.resolve("machine-id") + " is larger than a machine id (at most "
                        + "64 bytes): restore it from a backup, or delete it to make this a new machine");
    }

    @Test
    void aMachineIsNamedByItsHostItsIdOrAPrefixOfIt() {
        Machine m = new Machine("1A2B3C4D-1111-4222-8333-444455556666", "laptop-a");

        assertThat(m.id()).isEqualTo("1a2b3c4d-1111-4222-8333-444455556666");
        assertThat(m.isNamedBy("laptop-a")).isTrue();
        assertThat(m.isNamedBy("1a2b")).isTrue();
        assertThat(m.isNamedBy("1A2B3C4D")).isTrue();
        assertThat(m.isNamedBy("laptop")).as("host names match whole").isFalse();
        assertThat(m.isNamedBy("2b3c")).isFalse();
        assertThat(m.isNamedBy(" ")).isFalse();
        assertThat(m).hasToString("laptop-a (1a2b3c4d)");
    }
}

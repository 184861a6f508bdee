package zonegate.app.internal.client;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** resolv.conf rewriting and restoring, on files of a temporary directory (never the real /etc/resolv.conf). */
class ResolvConfTest {
    private static final String ORIGINAL = "# the host's\nnameserver 192.0.2.53\nnameserver 2001:db8::53\nsearch corp.example\n";

    @TempDir
    Path dir;

    @Test
    void readsTheSystemsNameservers() throws Exception {
        ResolvConf conf = ResolvConf.open(file(ORIGINAL), backup());

        assertThat(conf.systemServers()).containsExactly(new InetSocketAddress(InetAddress.ofLiteral("192.0.2.53"), 53),
                new InetSocketAddress(InetAddress.ofLiteral("2001:db8::53"), 53));
    }

    @Test
    void pointsTheFileAtTheSentinelsAndKeepsItsSearchLine() throws Exception {
        Path file = file(ORIGINAL);
        ResolvConf conf = ResolvConf.open(file, backup());

        conf.useServers(List.of(InetAddress.ofLiteral("100.100.111.1")));

        assertThat(Files.readString(file)).contains("nameserver 100.100.111.1\n", "search corp.example")
                .doesNotContain("192.0.2.53");
        assertThat(Files.readString(backup())).isEqualTo(ORIGINAL);
    }

    @Test
    void restoreBringsBackTheOriginalAndRemovesTheBackup() throws Exception {
        Path file = file(ORIGINAL);
        ResolvConf conf = ResolvConf.open(file, backup());
        conf.useServers(List.of(InetAddress.ofLiteral("100.100.111.1")));

        conf.restore();

        assertThat(Files.readString(file)).isEqualTo(ORIGINAL);
        assertThat(backup()).doesNotExist();
    }

    @Test
    void aBackupLeftByACrashIsRestoredAtTheNextStart() throws Exception {
        Path file = file("nameserver 100.100.111.1\n");
        Files.writeString(backup(), ORIGINAL);

        ResolvConf conf = ResolvConf.open(file, backup());

        assertThat(Files.readString(file)).isEqualTo(ORIGINAL);
        assertThat(conf.systemServers()).hasSize(2);
        assertThat(backup()).doesNotExist();
    }

    @Test
    void aSymbolicLinkComesBackAsTheLink() throws Exception {
        Path target = dir.resolve("stub-resolv.conf");
        Files.writeString(target, ORIGINAL);
        Path file = Files.createSymbolicLink(dir.resolve("resolv.conf"), target);
        ResolvConf conf = ResolvConf.open(file, backup());
        conf.useServers(List.of(InetAddress.ofLiteral("100.100.111.1")));

        conf.restore();

        assertThat(Files.isSymbolicLink(file)).isTrue();
        assertThat(Files.readString(target)).isEqualTo(ORIGINAL);
        assertThat(Files.exists(backup(), LinkOption.NOFOLLOW_LINKS)).isFalse();
    }

    private Path file(String text) throws Exception {
        return Files.writeString(dir.resolve("resolv.conf"), text);
    }

    private Path backup() {
        return dir.resolve("resolv.conf.zonegate-backup");
    }
}

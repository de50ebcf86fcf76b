package io.jtorrent.tracker;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.sun.net.httpserver.HttpsConfigurator;
import com.sun.net.httpserver.HttpsServer;
import io.netty.channel.nio.NioEventLoopGroup;
import io.netty.handler.ssl.SslContextBuilder;
import java.io.FileInputStream;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.security.KeyStore;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** HTTPS clients check the certificate's name: a trusted certificate for another name is refused. */
class VerifiedTlsTest {
    @TempDir
    Path tmp;

    private Path keystore(String name, String san) throws Exception {
        Path ks = tmp.resolve(name + ".p12");
        String keytool = Path.of(System.getProperty("java.home"), "bin", "keytool").toString();
        Process p = new ProcessBuilder(keytool, "-genkeypair", "-alias", "k", "-keyalg", "RSA", "-keysize", "2048",
                "-dname", "CN=" + name, "-ext", "SAN=" + san, "-validity", "2", "-storetype", "PKCS12",
                "-keystore", ks.toString(), "-storepass", "secret", "-keypass", "secret").redirectErrorStream(true).start();
        assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
        assertThat(p.exitValue()).as(new String(p.getInputStream().readAllBytes())).isZero();
        return ks;
    }

    private byte[] fetch(Path ks) throws Exception {
        KeyStore store = KeyStore.getInstance("PKCS12");
        try (FileInputStream in = new FileInputStream(ks.toFile())) {
            store.load(in, "secret".toCharArray());
        }
        KeyManagerFactory kmf = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
        kmf.init(store, "secret".toCharArray());
        SSLContext server = SSLContext.getInstance("TLS");
        server.init(kmf.getKeyManagers(), null, null);
        HttpsServer https = HttpsServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        https.setHttpsConfigurator(new HttpsConfigurator(server));
        https.createContext("/t", ex -> {
            byte[] b = "torrent".getBytes();
            ex.sendResponseHeaders(200, b.length);
            ex.getResponseBody().write(b);
            ex.close();
        });
        https.start();
        NioEventLoopGroup group = new NioEventLoopGroup(1);
        try {
            // the client trusts exactly this certificate: only its name can make the handshake fail
            var trusted = (java.security.cert.X509Certificate) store.getCertificate("k");
            HttpTrackerClient client = new HttpTrackerClient(group, Duration.ofSeconds(10), "test",
                    SslContextBuilder.forClient().trustManager(trusted).build());
            return client.download("https://127.0.0.1:" + https.getAddress().getPort() + "/t", 1 << 20).get(20, TimeUnit.SECONDS);
        } finally {
            https.stop(0);
            group.shutdownGracefully(0, 1, TimeUnit.SECONDS);
        }
    }

    @Test
    void aCertificateForAnotherNameIsRefused() throws Exception {
        assertThat(fetch(keystore("right", "ip:127.0.0.1"))).isEqualTo("torrent".getBytes());
        // the same trusted setup with a certificate for another name: the handshake fails, no body
        assertThatThrownBy(() -> fetch(keystore("wrong.example", "dns:wrong.example")))
                .hasCauseInstanceOf(TrackerException.class);
    }
}

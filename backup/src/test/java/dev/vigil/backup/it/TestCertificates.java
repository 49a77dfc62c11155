package dev.vigil.backup.it;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A private CA and the certificates a TLS test or benchmark needs, made with the openssl CLI in
 * a directory: {@code ca.crt}, {@code server.crt}/{@code .key} (localhost and 127.0.0.1),
 * {@code client.crt}/{@code .key}, and {@code s3.p12} (the server's, for S3Proxy; password
 * {@value #STORE_PASSWORD}).
 */
public final class TestCertificates {
  public static final String STORE_PASSWORD = "storepass";

  private TestCertificates() {}

  /** Whether the openssl CLI is there (tests skip, saying so, where it is not). */
  public static boolean available() throws InterruptedException {
    return run(List.of("openssl", "version"));
  }

  public static void make(Path dir) throws IOException, InterruptedException {
    Path ext = dir.resolve("san.ext");
    Files.writeString(ext, "subjectAltName=IP:127.0.0.1,DNS:localhost\n");
    String d = dir.toString() + "/";
    List<List<String>> steps = List.of(
        List.of("openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "1",
            "-subj", "/CN=vigil-test-ca", "-keyout", d + "ca.key", "-out", d + "ca.crt"),
        List.of("openssl", "req", "-newkey", "rsa:2048", "-nodes", "-subj", "/CN=localhost",
            "-keyout", d + "server.key", "-out", d + "server.csr"),
        List.of("openssl", "x509", "-req", "-days", "1", "-in", d + "server.csr", "-CA", d + "ca.crt",
            "-CAkey", d + "ca.key", "-CAcreateserial", "-extfile", ext.toString(), "-out", d + "server.crt"),
        List.of("openssl", "req", "-newkey", "rsa:2048", "-nodes", "-subj", "/CN=vigil-backup",
            "-keyout", d + "client.key", "-out", d + "client.csr"),
        List.of("openssl", "x509", "-req", "-days", "1", "-in", d + "client.csr", "-CA", d + "ca.crt",
            "-CAkey", d + "ca.key", "-CAcreateserial", "-out", d + "client.crt"),
        List.of("openssl", "pkcs12", "-export", "-in", d + "server.crt", "-inkey", d + "server.key",
            "-name", "s3", "-out", d + "s3.p12", "-passout", "pass:" + STORE_PASSWORD));
    for (List<String> step : steps) {
      if (!run(step)) {
        throw new IOException("openssl step failed: " + String.join(" ", step));
      }
    }
  }

  /** Runs a command, its output discarded; whether it exited 0 within 30 s. */
  public static boolean run(List<String> command) throws InterruptedException {
    try {
      Process p = new ProcessBuilder(command).redirectErrorStream(true)
          .redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
      return p.waitFor(30, TimeUnit.SECONDS) && p.exitValue() == 0;
    } catch (IOException e) {
      return false;
    }
  }
}

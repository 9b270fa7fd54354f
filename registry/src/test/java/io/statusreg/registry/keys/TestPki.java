package io.statusreg.registry.keys;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A throw-away PKI made with the JDK's own keytool: a self-signed root CA, an intermediate CA it
 * signs, and leaf keys the intermediate signs (optionally with an extendedKeyUsage OID and a start
 * date). Certificates are PEM files; leaf keys live in PKCS#12 stores with their chain.
 */
final class TestPki {
  static final String PASSWORD = "test-pass";
  private final Path dir;
  private final Path ca;

  TestPki(Path dir) throws Exception {
    this.dir = dir;
    this.ca = dir.resolve("ca.p12");
    keytool(
        "-genkeypair",
        "-keystore",
        ca.toString(),
        "-alias",
        "root",
        "-dname",
        "CN=Test Root",
        "-ext",
        "bc:c",
        "-validity",
        "3650");
    keytool(
        "-genkeypair",
        "-keystore",
        ca.toString(),
        "-alias",
        "inter",
        "-dname",
        "CN=Test Intermediate",
        "-ext",
        "bc:c",
        "-validity",
        "3650");
    keytool(
        "-exportcert",
        "-rfc",
        "-keystore",
        ca.toString(),
        "-alias",
        "root",
        "-file",
        root().toString());
    keytool(
        "-certreq",
        "-keystore",
        ca.toString(),
        "-alias",
        "inter",
        "-file",
        dir.resolve("inter.csr").toString());
    keytool(
        "-gencert",
        "-rfc",
        "-keystore",
        ca.toString(),
        "-alias",
        "root",
        "-infile",
        dir.resolve("inter.csr").toString(),
        "-outfile",
        intermediate().toString(),
        "-ext",
        "bc:c=ca:true,pathlen:0",
        "-validity",
        "3650");
  }

  Path root() {
    return dir.resolve("root.pem");
  }

  Path intermediate() {
    return dir.resolve("inter.pem");
  }

  /**
   * A leaf key {@code alias} in its own PKCS#12 store, its chain leaf, intermediate, root.
   *
   * @param startDate keytool's -startdate (e.g. "-2d", "2026/01/01 00:00:00"), or null for now
   * @param eku an extendedKeyUsage OID, or null
   */
  Path leaf(String alias, String startDate, String eku) throws Exception {
    Path store = selfSigned(alias);
    keytool(
        "-certreq",
        "-keystore",
        store.toString(),
        "-alias",
        alias,
        "-file",
        dir.resolve(alias + ".csr").toString());
    List<String> gencert =
        new ArrayList<>(
            List.of(
                "-gencert",
                "-rfc",
                "-keystore",
                ca.toString(),
                "-alias",
                "inter",
                "-infile",
                dir.resolve(alias + ".csr").toString(),
                "-outfile",
                dir.resolve(alias + ".pem").toString(),
                "-validity",
                "3650"));
    if (startDate != null) {
      gencert.addAll(List.of("-startdate", startDate));
    }
    if (eku != null) {
      gencert.addAll(List.of("-ext", "EKU=" + eku));
    }
    keytool(gencert.toArray(String[]::new));
    Path reply = dir.resolve(alias + "-chain.pem");
    Files.writeString(
        reply,
        Files.readString(dir.resolve(alias + ".pem"))
            + Files.readString(intermediate())
            + Files.readString(root()));
    keytool(
        "-importcert",
        "-noprompt",
        "-keystore",
        store.toString(),
        "-alias",
        "root-of-" + alias,
        "-file",
        root().toString());
    keytool(
        "-importcert",
        "-noprompt",
        "-keystore",
        store.toString(),
        "-alias",
        alias,
        "-file",
        reply.toString());
    keytool("-delete", "-keystore", store.toString(), "-alias", "root-of-" + alias);
    return store;
  }

  /**
   * A key {@code alias} in its own store whose certificate (returned, PEM) is signed by {@code
   * issuerAlias}'s key in {@code issuerStore}, whatever that certificate is (a leaf, not a CA,
   * included).
   */
  Path issuedBy(String alias, Path issuerStore, String issuerAlias) throws Exception {
    Path store = selfSigned(alias);
    keytool(
        "-certreq",
        "-keystore",
        store.toString(),
        "-alias",
        alias,
        "-file",
        dir.resolve(alias + ".csr").toString());
    Path pem = dir.resolve(alias + ".pem");
    keytool(
        "-gencert",
        "-rfc",
        "-keystore",
        issuerStore.toString(),
        "-alias",
        issuerAlias,
        "-infile",
        dir.resolve(alias + ".csr").toString(),
        "-outfile",
        pem.toString(),
        "-validity",
        "3650");
    return pem;
  }

  /**
   * A self-signed CA certificate (PEM) named {@code dname} with a key of its own: given the name of
   * a real CA, it impersonates that CA without holding its key.
   */
  Path impostorCa(String alias, String dname) throws Exception {
    Path store = dir.resolve(alias + ".p12");
    keytool(
        "-genkeypair",
        "-keystore",
        store.toString(),
        "-alias",
        alias,
        "-dname",
        dname,
        "-ext",
        "bc:c",
        "-validity",
        "3650");
    Path pem = dir.resolve(alias + ".pem");
    keytool(
        "-exportcert",
        "-rfc",
        "-keystore",
        store.toString(),
        "-alias",
        alias,
        "-file",
        pem.toString());
    return pem;
  }

  /** A self-signed leaf (no CA), in its own store ({@link #leaf} then has the CA sign it). */
  Path selfSigned(String alias) throws Exception {
    Path store = dir.resolve(alias + ".p12");
    keytool(
        "-genkeypair",
        "-keystore",
        store.toString(),
        "-alias",
        alias,
        "-dname",
        "CN=" + alias,
        "-validity",
        "3650");
    return store;
  }

  static PrivateKey privateKey(Path store, String alias) throws Exception {
    return (PrivateKey) load(store).getKey(alias, PASSWORD.toCharArray());
  }

  static List<X509Certificate> chain(Path store, String alias) throws Exception {
    List<X509Certificate> out = new ArrayList<>();
    for (var c : load(store).getCertificateChain(alias)) {
      out.add((X509Certificate) c);
    }
    return out;
  }

  static X509Certificate pem(Path file) throws Exception {
    try (InputStream in = Files.newInputStream(file)) {
      return (X509Certificate) CertificateFactory.getInstance("X.509").generateCertificate(in);
    }
  }

  private static KeyStore load(Path store) throws Exception {
    KeyStore ks = KeyStore.getInstance("PKCS12");
    try (InputStream in = Files.newInputStream(store)) {
      ks.load(in, PASSWORD.toCharArray());
    }
    return ks;
  }

  private static void keytool(String... args) throws IOException, InterruptedException {
    List<String> cmd = new ArrayList<>();
    cmd.add(Path.of(System.getProperty("java.home"), "bin", "keytool").toString());
    // keytool is a short-lived JVM: no JIT tiers or parallel GC to warm up.
    cmd.addAll(List.of("-J-XX:TieredStopAtLevel=1", "-J-XX:+UseSerialGC", "-J-Xshare:auto"));
    cmd.addAll(List.of(args));
    cmd.addAll(List.of("-storetype", "PKCS12", "-storepass", PASSWORD));
    if (args[0].equals("-genkeypair")) {
      cmd.addAll(List.of("-keyalg", "EC", "-groupname", "secp256r1", "-keypass", PASSWORD));
    }
    Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    if (!p.waitFor(60, TimeUnit.SECONDS) || p.exitValue() != 0) {
      throw new IllegalStateException("keytool " + String.join(" ", args) + " failed:\n" + out);
    }
  }
}

package io.statusreg.streams.testing;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * Throw-away PKCS#12 stores for a test's secured broker, made with the JDK's keytool: the broker's
 * key and self-signed certificate for {@code 127.0.0.1}/{@code localhost} ({@link #keystore} {@code
 * "broker"}), one key per client alias with its own {@code CN}, and one truststore holding every
 * certificate made (so the broker trusts each client's certificate on a mutual TLS listener, and
 * each client the broker's). All stores share one random password.
 */
public final class BrokerStores {
  private final Path dir;
  private final String password;

  private BrokerStores(Path dir, String password) {
    this.dir = dir;
    this.password = password;
  }

  /** The broker's stores plus one client key per entry of {@code clients} (alias to CN). */
  public static BrokerStores generate(Path dir, Map<String, String> clients)
      throws IOException, InterruptedException {
    BrokerStores stores = new BrokerStores(Files.createDirectories(dir), random());
    Map<String, String> all = new LinkedHashMap<>();
    all.put("broker", "localhost");
    all.putAll(clients);
    for (Map.Entry<String, String> e : all.entrySet()) {
      List<String> gen =
          new ArrayList<>(
              List.of(
                  "-genkeypair",
                  "-alias",
                  e.getKey(),
                  "-keyalg",
                  "EC",
                  "-groupname",
                  "secp256r1",
                  "-dname",
                  "CN=" + e.getValue(),
                  "-validity",
                  "2"));
      if (e.getKey().equals("broker")) {
        gen.addAll(List.of("-ext", "SAN=ip:127.0.0.1,dns:localhost"));
      }
      gen.addAll(stores.store(stores.keystore(e.getKey())));
      stores.keytool(gen);
      Path crt = dir.resolve(e.getKey() + ".crt");
      stores.keytool(
          List.of(
              "-exportcert",
              "-alias",
              e.getKey(),
              "-file",
              crt.toString(),
              "-keystore",
              stores.keystore(e.getKey()).toString(),
              "-storepass",
              stores.password));
      List<String> trust =
          new ArrayList<>(
              List.of("-importcert", "-noprompt", "-alias", e.getKey(), "-file", crt.toString()));
      trust.addAll(stores.store(stores.truststore()));
      stores.keytool(trust);
    }
    return stores;
  }

  /** The PKCS#12 keystore of {@code alias} ({@code "broker"} or a client's). */
  public Path keystore(String alias) {
    return dir.resolve(alias + ".p12");
  }

  /** The PKCS#12 truststore holding every certificate made. */
  public Path truststore() {
    return dir.resolve("trust.p12");
  }

  /** The password of every store. */
  public String password() {
    return password;
  }

  private List<String> store(Path file) {
    return List.of("-keystore", file.toString(), "-storetype", "PKCS12", "-storepass", password);
  }

  private void keytool(List<String> args) throws IOException, InterruptedException {
    List<String> cmd = new ArrayList<>();
    cmd.add(Path.of(System.getProperty("java.home"), "bin", "keytool").toString());
    cmd.addAll(args);
    Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    if (!p.waitFor(60, TimeUnit.SECONDS)) {
      p.destroyForcibly();
      throw new IOException("keytool " + args.getFirst() + " did not finish within 60 s");
    }
    if (p.exitValue() != 0) {
      throw new IOException("keytool " + args.getFirst() + " failed: " + out.strip());
    }
  }

  private static String random() {
    byte[] b = new byte[16];
    new SecureRandom().nextBytes(b);
    return HexFormat.of().formatHex(b);
  }
}

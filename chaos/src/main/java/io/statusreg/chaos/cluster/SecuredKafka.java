package io.statusreg.chaos.cluster;

import io.statusreg.kraft.SecureListener;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.ScramCredentialInfo;
import org.apache.kafka.clients.admin.ScramMechanism;
import org.apache.kafka.clients.admin.UserScramCredentialUpsertion;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The Kafka security of a {@code --secure} run: a throw-away PKI (a CA and a broker certificate for
 * {@code 127.0.0.1}, PKCS#12 stores made with the JDK's keytool), the brokers' {@link
 * SecureListener} (SASL_SSL, SCRAM-SHA-512) with the StandardAuthorizer, a SCRAM user for the
 * registry with a random password, and the {@code STATUSREG_KAFKA_*} settings that point the
 * instances and the harness's own clients at it, as a mounted Kubernetes Secret would: paths and
 * names only, the passwords and the JAAS line stay in files of mode 600.
 *
 * <p>No secret is ever on a command line: keytool reads the store password with {@code
 * -storepass:file}, the brokers read theirs from their {@code server.properties} (in the run's data
 * directory), the instances from the files named by their environment.
 */
public final class SecuredKafka {
  private static final Logger log = LoggerFactory.getLogger(SecuredKafka.class);

  /** The registry's SCRAM user; its principal is {@code User:statusreg}. */
  public static final String USER = "statusreg";

  public static final String MECHANISM = "SCRAM-SHA-512";

  /** The broker properties of the authorizer: the registry's user is a super user. */
  public static final Map<String, String> AUTHORIZER =
      Map.of(
          "authorizer.class.name",
          "org.apache.kafka.metadata.authorizer.StandardAuthorizer",
          // ANONYMOUS: the PLAINTEXT inter-broker and controller listeners and the start-up probe
          "super.users",
          "User:ANONYMOUS;User:" + USER);

  private final Path dir;
  private final String storePassword;
  private final String userPassword;
  private final List<List<String>> keytoolCommands = new ArrayList<>();

  private SecuredKafka(Path dir, String storePassword, String userPassword) {
    this.dir = dir;
    this.storePassword = storePassword;
    this.userPassword = userPassword;
  }

  /** Generates the PKI and the secret files in {@code dir} (created, mode 700). */
  public static SecuredKafka generate(Path dir) throws IOException {
    SecuredKafka s = new SecuredKafka(dir.toAbsolutePath(), random(), random());
    s.writeFiles();
    s.generatePki();
    return s;
  }

  public Path dir() {
    return dir;
  }

  public Path truststore() {
    return dir.resolve("truststore.p12");
  }

  public Path truststorePasswordFile() {
    return dir.resolve("truststore.password");
  }

  public Path userPasswordFile() {
    return dir.resolve(USER + ".password");
  }

  public Path jaasFile() {
    return dir.resolve("sasl.jaas.config");
  }

  /** The keytool command lines run (for the test that no secret is on one). */
  public List<List<String>> keytoolCommands() {
    return List.copyOf(keytoolCommands);
  }

  /** The brokers' SASL_SSL listener: the broker certificate, the CA as truststore, no mTLS. */
  public SecureListener listener() {
    return new SecureListener(
        dir.resolve("broker.p12"), storePassword, truststore(), storePassword, false);
  }

  /**
   * The {@code STATUSREG_KAFKA_*} settings of every instance and of the harness's clients: the
   * SASL_SSL bootstrap, the truststore, and the files holding its password and the JAAS line.
   */
  public Map<String, String> clientSettings(String secureBootstrapServers) {
    Map<String, String> s = new LinkedHashMap<>();
    s.put("STATUSREG_KAFKA_BOOTSTRAP_SERVERS", secureBootstrapServers);
    s.put("STATUSREG_KAFKA_SECURITY_PROTOCOL", "SASL_SSL");
    s.put("STATUSREG_KAFKA_SSL_TRUSTSTORE_LOCATION", truststore().toString());
    s.put("STATUSREG_KAFKA_SSL_TRUSTSTORE_TYPE", "PKCS12");
    s.put("STATUSREG_KAFKA_SSL_TRUSTSTORE_PASSWORD_FILE", truststorePasswordFile().toString());
    s.put("STATUSREG_KAFKA_SASL_MECHANISM", MECHANISM);
    s.put("STATUSREG_KAFKA_SASL_JAAS_CONFIG_FILE", jaasFile().toString());
    return s;
  }

  /**
   * Creates the registry's SCRAM user through the PLAINTEXT listener (as an operator would, before
   * the registry starts) and waits until the SASL_SSL listener accepts it with {@code secured}'s
   * settings.
   */
  public void createUser(
      String plaintextBootstrapServers, Map<String, String> secured, Duration timeout) {
    try (Admin admin =
        Admin.create(
            Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, plaintextBootstrapServers))) {
      admin
          .alterUserScramCredentials(
              List.of(
                  new UserScramCredentialUpsertion(
                      USER,
                      new ScramCredentialInfo(ScramMechanism.SCRAM_SHA_512, 8192),
                      userPassword)))
          .all()
          .get(timeout.toMillis(), TimeUnit.MILLISECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while creating the SCRAM user", e);
    } catch (Exception e) {
      throw new IllegalStateException("creating the SCRAM user " + USER + ": " + e, e);
    }
    long deadline = System.nanoTime() + timeout.toNanos();
    while (true) {
      try (Admin admin = HarnessKafka.access(secured).admin()) {
        int nodes = admin.describeCluster().nodes().get(10, TimeUnit.SECONDS).size();
        log.info("SCRAM user {} authenticated over SASL_SSL ({} broker(s))", USER, nodes);
        return;
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IllegalStateException("interrupted while awaiting the SCRAM user", e);
      } catch (Exception e) {
        if (System.nanoTime() > deadline) {
          throw new IllegalStateException(
              "the SASL_SSL listener did not accept " + USER + " within " + timeout + ": " + e, e);
        }
        log.debug("SCRAM user not usable yet: {}", e.toString());
      }
      try {
        Thread.sleep(500);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IllegalStateException("interrupted while awaiting the SCRAM user", e);
      }
    }
  }

  /** What the report's notes say of the mode. */
  public String note() {
    return "kafka: SASL_SSL (SCRAM-SHA-512), user "
        + USER
        + " (a super user of the brokers' StandardAuthorizer), CA and broker certificate for"
        + " 127.0.0.1 generated for the run in "
        + dir
        + "; the instances and the harness's clients use only the SASL_SSL listener, PLAINTEXT"
        + " stays for inter-broker traffic, the cluster's start-up probe and the user's creation";
  }

  private void writeFiles() throws IOException {
    Files.createDirectories(dir);
    Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("rwx------"));
    secret(storeFile(), storePassword);
    secret(truststorePasswordFile(), storePassword);
    secret(userPasswordFile(), userPassword);
    secret(
        jaasFile(),
        "org.apache.kafka.common.security.scram.ScramLoginModule required username=\""
            + USER
            + "\" password=\""
            + userPassword
            + "\";");
  }

  private Path storeFile() {
    return dir.resolve("store.password");
  }

  private static void secret(Path file, String content) throws IOException {
    Files.deleteIfExists(file);
    Files.createFile(
        file, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
    Files.writeString(file, content + "\n", StandardCharsets.UTF_8);
  }

  private void generatePki() throws IOException {
    String pass = "-storepass:file";
    String pw = storeFile().toString();
    String ca = dir.resolve("ca.p12").toString();
    String broker = dir.resolve("broker.p12").toString();
    String caCrt = dir.resolve("ca.crt").toString();
    String csr = dir.resolve("broker.csr").toString();
    String brokerCrt = dir.resolve("broker.crt").toString();
    List<String> ec = List.of("-keyalg", "EC", "-groupname", "secp256r1", "-validity", "7");
    keytool(
        concat(
            List.of("-genkeypair", "-alias", "ca", "-dname", "CN=statusreg chaos CA"),
            ec,
            List.of("-ext", "bc:c", "-keystore", ca, "-storetype", "PKCS12", pass, pw)));
    keytool("-exportcert", "-rfc", "-alias", "ca", "-file", caCrt, "-keystore", ca, pass, pw);
    keytool(
        concat(
            List.of("-genkeypair", "-alias", "broker", "-dname", "CN=127.0.0.1"),
            ec,
            List.of("-keystore", broker, "-storetype", "PKCS12", pass, pw)));
    keytool("-certreq", "-alias", "broker", "-file", csr, "-keystore", broker, pass, pw);
    keytool(
        "-gencert",
        "-rfc",
        "-alias",
        "ca",
        "-infile",
        csr,
        "-outfile",
        brokerCrt,
        "-ext",
        "SAN=ip:127.0.0.1,dns:localhost",
        "-ext",
        "EKU=serverAuth",
        "-validity",
        "7",
        "-keystore",
        ca,
        pass,
        pw);
    // the CA first, so that the signed reply chains up to it
    keytool(
        "-importcert", "-noprompt", "-alias", "ca", "-file", caCrt, "-keystore", broker, pass, pw);
    keytool(
        "-importcert",
        "-noprompt",
        "-alias",
        "broker",
        "-file",
        brokerCrt,
        "-keystore",
        broker,
        pass,
        pw);
    keytool(
        "-importcert",
        "-noprompt",
        "-alias",
        "ca",
        "-file",
        caCrt,
        "-keystore",
        truststore().toString(),
        "-storetype",
        "PKCS12",
        pass,
        pw);
    for (String f : List.of(ca, broker, truststore().toString())) {
      Files.setPosixFilePermissions(Path.of(f), PosixFilePermissions.fromString("rw-------"));
    }
    log.info("Generated a CA and a broker certificate for 127.0.0.1 in {}", dir);
  }

  @SafeVarargs
  private static List<String> concat(List<String>... parts) {
    List<String> all = new ArrayList<>();
    for (List<String> p : parts) {
      all.addAll(p);
    }
    return all;
  }

  private void keytool(String... args) throws IOException {
    keytool(List.of(args));
  }

  private void keytool(List<String> args) throws IOException {
    List<String> cmd = new ArrayList<>();
    cmd.add(Path.of(System.getProperty("java.home"), "bin", "keytool").toString());
    cmd.addAll(args);
    keytoolCommands.add(List.copyOf(cmd));
    Process p = new ProcessBuilder(cmd).directory(dir.toFile()).redirectErrorStream(true).start();
    p.getOutputStream().close();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    try {
      if (!p.waitFor(60, TimeUnit.SECONDS)) {
        p.destroyForcibly();
        throw new IOException("keytool " + args.getFirst() + " did not finish within 60 s");
      }
    } catch (InterruptedException e) {
      p.destroyForcibly();
      Thread.currentThread().interrupt();
      throw new IOException("interrupted while running keytool", e);
    }
    if (p.exitValue() != 0) {
      throw new IOException("keytool " + args.getFirst() + " failed: " + out.strip());
    }
  }

  private static String random() {
    byte[] b = new byte[24];
    new SecureRandom().nextBytes(b);
    return HexFormat.of().formatHex(b);
  }

  @Override
  public String toString() {
    return "SecuredKafka[" + dir + ", user " + USER + ", secrets in files]";
  }
}

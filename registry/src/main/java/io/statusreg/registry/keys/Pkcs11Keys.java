package io.statusreg.registry.keys;

import io.statusreg.registry.RegistryException;
import java.io.IOException;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.Key;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.Provider;
import java.security.ProviderException;
import java.security.Security;
import java.security.cert.Certificate;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/**
 * Signing keys in an HSM through the JDK's SunPKCS11 provider: every private key object of the
 * token with a certificate (chain) under the same label; the label is the {@code kid}. The private
 * keys never leave the token: signing runs in it ({@link SigningKey#sign} selects the provider by
 * the key). A chain's trailing self-signed root is dropped from {@code x5c} (HAIP: the trust anchor
 * is not sent).
 */
public final class Pkcs11Keys {
  private Pkcs11Keys() {}

  /**
   * Configures SunPKCS11 with {@code config} (adding the provider to the JCA once per name), logs
   * in with {@code pin} and reads the keys named by {@code aliases}, or all when none.
   */
  public static KeyRing load(Path config, char[] pin, List<String> aliases) {
    Provider provider = provider(config);
    try {
      KeyStore store = KeyStore.getInstance("PKCS11", provider);
      store.load(null, pin);
      List<String> names = aliases.isEmpty() ? Collections.list(store.aliases()) : aliases;
      List<SigningKey> keys = new ArrayList<>();
      for (String alias : names) {
        if (!store.isKeyEntry(alias)) {
          if (!aliases.isEmpty()) {
            throw new RegistryException.InvalidInput(
                "the PKCS#11 token has no private key with a certificate labelled '" + alias + "'");
          }
          continue;
        }
        Key key = store.getKey(alias, null);
        Certificate[] chain = store.getCertificateChain(alias);
        if (!(key instanceof PrivateKey priv) || chain == null || chain.length == 0) {
          continue;
        }
        keys.add(SigningKey.fromCertificate(alias, priv, x5c(chain)));
      }
      if (keys.isEmpty()) {
        throw new RegistryException.InvalidInput(
            "the PKCS#11 token holds no private key with a certificate");
      }
      return KeyRing.of(keys);
    } catch (IOException | GeneralSecurityException e) {
      // A wrong PIN surfaces as an IOException caused by CKR_PIN_INCORRECT; never echo the PIN.
      throw new RegistryException.InvalidInput(
          "logging in to the PKCS#11 token of " + config + " failed (wrong PIN?)", e);
    }
  }

  /** The chain as x5c: leaf first, without a trailing self-signed root. */
  static List<X509Certificate> x5c(Certificate[] chain) {
    List<X509Certificate> out = new ArrayList<>();
    for (Certificate c : chain) {
      out.add((X509Certificate) c);
    }
    if (out.size() > 1 && CertificateChain.selfSigned(out.getLast())) {
      out.removeLast();
    }
    return out;
  }

  private static synchronized Provider provider(Path config) {
    Provider base = Security.getProvider("SunPKCS11");
    if (base == null) {
      throw new RegistryException.InvalidInput("this JDK has no SunPKCS11 provider");
    }
    Provider configured;
    try {
      configured = base.configure(config.toString());
    } catch (ProviderException | IllegalArgumentException | UnsupportedOperationException e) {
      throw new RegistryException.InvalidInput(
          "signing.pkcs11.config " + config + " does not configure SunPKCS11: " + e.getMessage(),
          e);
    }
    Provider installed = Security.getProvider(configured.getName());
    if (installed != null) {
      return installed;
    }
    Security.addProvider(configured);
    return configured;
  }
}

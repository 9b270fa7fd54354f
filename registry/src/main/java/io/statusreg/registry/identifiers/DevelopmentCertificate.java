package io.statusreg.registry.identifiers;

import io.statusreg.registry.RegistryException;
import io.statusreg.registry.keys.SignatureAlgorithm;
import io.statusreg.registry.keys.SigningKey;
import java.io.ByteArrayOutputStream;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.Arrays;

/**
 * A self-signed X.509 v3 certificate for a signing key, for {@code dev} and tests only: an
 * identifier list must carry {@code x5chain}, and the generated development key has no certificate.
 * Production keys carry their chain in {@code signing.keys.file} ({@code x5c} of the JWK, leaf
 * first, issued by the issuer's IACA or a list-signer CA), and verifiers trust that CA, never this
 * certificate. Written in DER by hand so that the domain core needs no certificate library.
 */
public final class DevelopmentCertificate {
  private DevelopmentCertificate() {}

  /** A self-signed certificate for {@code key}, subject {@code CN=<commonName>}, DER. */
  public static byte[] selfSigned(
      SigningKey key, String commonName, Instant notBefore, Instant notAfter) {
    return certificate(
        key.publicKey(), commonName, key, commonName, notBefore, notAfter, Role.SELF_SIGNED_LEAF);
  }

  /**
   * A self-signed certificate authority for {@code caKey} (basicConstraints CA, keyCertSign and
   * cRLSign), DER: the trust anchor of a development chain, given to verifiers and never put into
   * an {@code x5c}.
   */
  public static byte[] authority(
      SigningKey caKey, String commonName, Instant notBefore, Instant notAfter) {
    return certificate(
        caKey.publicKey(), commonName, caKey, commonName, notBefore, notAfter, Role.AUTHORITY);
  }

  /**
   * A leaf certificate for {@code subject} (not a CA, digitalSignature) issued by {@code ca}, whose
   * certificate names it {@code CN=<caCommonName>}, DER. With the authority above it makes a chain
   * that HAIP's rules accept: {@code x5c} holds this leaf only, the authority is the trust anchor.
   */
  public static byte[] issued(
      java.security.PublicKey subject,
      String commonName,
      SigningKey ca,
      String caCommonName,
      Instant notBefore,
      Instant notAfter) {
    return certificate(subject, commonName, ca, caCommonName, notBefore, notAfter, Role.LEAF);
  }

  private enum Role {
    SELF_SIGNED_LEAF,
    LEAF,
    AUTHORITY
  }

  private static byte[] certificate(
      java.security.PublicKey subject,
      String commonName,
      SigningKey signer,
      String issuerCommonName,
      Instant notBefore,
      Instant notAfter,
      Role role) {
    byte[] algorithm = algorithmIdentifier(signer.algorithm());
    byte[] spki = subject.getEncoded();
    byte[] serial = new byte[16];
    System.arraycopy(sha(spki), 0, serial, 0, 16);
    serial[0] &= 0x7f;
    serial[0] |= 0x40;
    byte[] keyUsage =
        seq(
            oid(new int[] {2, 5, 29, 15}),
            tlv(0x01, new byte[] {(byte) 0xff}),
            role == Role.AUTHORITY
                // keyCertSign (bit 5) and cRLSign (bit 6): 0b0000_0110, one unused bit
                ? tlv(0x04, tlv(0x03, new byte[] {0x01, 0x06}))
                // digitalSignature (bit 0): 0b1000_0000, seven unused bits
                : tlv(0x04, tlv(0x03, new byte[] {0x07, (byte) 0x80})));
    byte[] basicConstraints =
        role == Role.AUTHORITY
            ? seq(
                oid(new int[] {2, 5, 29, 19}),
                tlv(0x01, new byte[] {(byte) 0xff}),
                tlv(0x04, seq(tlv(0x01, new byte[] {(byte) 0xff}))))
            : seq(oid(new int[] {2, 5, 29, 19}), tlv(0x04, seq()));
    byte[] extensions;
    if (role == Role.SELF_SIGNED_LEAF) {
      extensions = seq(basicConstraints, keyUsage);
    } else {
      // Key identifiers (RFC 5280 4.2.1.1-2; RFC 7093: a truncated SHA-256 of the key), so that a
      // verifier's path builder can match the leaf to its authority by key as well as by name.
      byte[] subjectKeyId = Arrays.copyOf(sha(spki), 20);
      byte[] issuerKeyId = Arrays.copyOf(sha(signer.publicKey().getEncoded()), 20);
      byte[] ski = seq(oid(new int[] {2, 5, 29, 14}), tlv(0x04, tlv(0x04, subjectKeyId)));
      byte[] aki = seq(oid(new int[] {2, 5, 29, 35}), tlv(0x04, seq(tlv(0x80, issuerKeyId))));
      extensions =
          role == Role.AUTHORITY
              ? seq(basicConstraints, keyUsage, ski)
              : seq(basicConstraints, keyUsage, ski, aki);
    }
    byte[] tbs =
        seq(
            tlv(0xa0, tlv(0x02, new byte[] {2})),
            tlv(0x02, serial),
            algorithm,
            name(issuerCommonName),
            seq(time(notBefore), time(notAfter)),
            name(commonName),
            spki,
            tlv(0xa3, extensions));
    byte[] raw = signer.sign(tbs);
    byte[] signature = signer.algorithm().isEcdsa() ? derSignature(raw) : raw;
    byte[] bits = new byte[signature.length + 1];
    System.arraycopy(signature, 0, bits, 1, signature.length);
    return seq(tbs, algorithm, tlv(0x03, bits));
  }

  private static byte[] algorithmIdentifier(SignatureAlgorithm alg) {
    return switch (alg) {
      case ES256 -> seq(oid(new int[] {1, 2, 840, 10045, 4, 3, 2}));
      case ES384 -> seq(oid(new int[] {1, 2, 840, 10045, 4, 3, 3}));
      case ES512 -> seq(oid(new int[] {1, 2, 840, 10045, 4, 3, 4}));
      case EDDSA -> seq(oid(new int[] {1, 3, 101, 112}));
      default ->
          throw new RegistryException.InvalidInput(
              "identifier lists are signed with ES256, ES384, ES512 or EdDSA, not " + alg.jose());
    };
  }

  private static byte[] name(String cn) {
    return seq(
        tlv(
            0x31,
            seq(oid(new int[] {2, 5, 4, 3}), tlv(0x0c, cn.getBytes(StandardCharsets.UTF_8)))));
  }

  private static byte[] time(Instant t) {
    var utc = t.atZone(ZoneOffset.UTC);
    if (utc.getYear() >= 1950 && utc.getYear() < 2050) {
      return tlv(
          0x17,
          DateTimeFormatter.ofPattern("yyMMddHHmmss'Z'")
              .format(utc)
              .getBytes(StandardCharsets.US_ASCII));
    }
    return tlv(
        0x18,
        DateTimeFormatter.ofPattern("yyyyMMddHHmmss'Z'")
            .format(utc)
            .getBytes(StandardCharsets.US_ASCII));
  }

  /** {@code r||s} (IEEE P1363) to {@code SEQUENCE {INTEGER r, INTEGER s}}. */
  static byte[] derSignature(byte[] raw) {
    int half = raw.length / 2;
    BigInteger r = new BigInteger(1, Arrays.copyOfRange(raw, 0, half));
    BigInteger s = new BigInteger(1, Arrays.copyOfRange(raw, half, raw.length));
    return seq(tlv(0x02, r.toByteArray()), tlv(0x02, s.toByteArray()));
  }

  private static byte[] oid(int[] arcs) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    out.write(arcs[0] * 40 + arcs[1]);
    for (int i = 2; i < arcs.length; i++) {
      int v = arcs[i];
      int n = 0;
      byte[] tmp = new byte[5];
      do {
        tmp[n++] = (byte) (v & 0x7f);
        v >>>= 7;
      } while (v != 0);
      for (int j = n - 1; j >= 0; j--) {
        out.write(tmp[j] | (j > 0 ? 0x80 : 0));
      }
    }
    return tlv(0x06, out.toByteArray());
  }

  private static byte[] seq(byte[]... parts) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    for (byte[] p : parts) {
      out.writeBytes(p);
    }
    return tlv(0x30, out.toByteArray());
  }

  private static byte[] tlv(int tag, byte[] value) {
    ByteArrayOutputStream out = new ByteArrayOutputStream(value.length + 6);
    out.write(tag);
    int n = value.length;
    if (n < 0x80) {
      out.write(n);
    } else if (n < 0x100) {
      out.write(0x81);
      out.write(n);
    } else if (n < 0x10000) {
      out.write(0x82);
      out.write(n >>> 8);
      out.write(n);
    } else {
      out.write(0x83);
      out.write(n >>> 16);
      out.write(n >>> 8);
      out.write(n);
    }
    out.writeBytes(value);
    return out.toByteArray();
  }

  private static byte[] sha(byte[] in) {
    try {
      return java.security.MessageDigest.getInstance("SHA-256").digest(in);
    } catch (java.security.NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is missing", e);
    }
  }
}

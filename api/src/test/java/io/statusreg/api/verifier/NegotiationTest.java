package io.statusreg.api.verifier;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Arrays;
import java.util.Locale;
import java.util.Random;
import org.junit.jupiter.api.Test;

class NegotiationTest {
  static final Object[] ALL = {"jwt", "cwt", "w3c", null};
  static final Object[] NO_W3C = {"jwt", "cwt", null, null};
  static final Object[] IDENTIFIER_LIST = {null, null, null, "idl"};

  @Test
  void anIdentifierListIsServedOnlyAsAnIdentifierListCwt() {
    assertThat(Negotiation.select("*/*", IDENTIFIER_LIST))
        .isEqualTo(Representation.IDENTIFIER_LIST);
    assertThat(Negotiation.select(null, IDENTIFIER_LIST)).isEqualTo(Representation.IDENTIFIER_LIST);
    assertThat(Negotiation.select("application/identifierlist+cwt", IDENTIFIER_LIST))
        .isEqualTo(Representation.IDENTIFIER_LIST);
    assertThat(Negotiation.select("application/*;q=0.5", IDENTIFIER_LIST))
        .isEqualTo(Representation.IDENTIFIER_LIST);
    assertThat(Negotiation.select("application/statuslist+cwt", IDENTIFIER_LIST)).isNull();
    assertThat(Negotiation.select("application/identifierlist+cwt", ALL)).isNull();
  }

  @Test
  void missingOrAnyAcceptGivesTheServersFirstChoice() {
    assertThat(Negotiation.select(null, ALL)).isEqualTo(Representation.JWT);
    assertThat(Negotiation.select("", ALL)).isEqualTo(Representation.JWT);
    assertThat(Negotiation.select("*/*", ALL)).isEqualTo(Representation.JWT);
    assertThat(Negotiation.select("*/*", new Object[] {null, "cwt", null, null}))
        .isEqualTo(Representation.CWT);
  }

  @Test
  void highestQValueWinsAndTheMostSpecificRangeGivesIt() {
    assertThat(
            Negotiation.select(
                "application/statuslist+jwt;q=0.5, application/statuslist+cwt;q=0.9", ALL))
        .isEqualTo(Representation.CWT);
    assertThat(Negotiation.select("Application/StatusList+CWT ; Q=1.0 , */*;q=0.1", ALL))
        .isEqualTo(Representation.CWT);
    assertThat(Negotiation.select("application/*;q=0.2, application/vc+jwt", ALL))
        .isEqualTo(Representation.W3C);
    // The exact range overrides the wildcard for jwt (q=0), so cwt wins through application/*.
    assertThat(Negotiation.select("application/statuslist+jwt;q=0, application/*", ALL))
        .isEqualTo(Representation.CWT);
    assertThat(Negotiation.select("application/vc+jwt", NO_W3C)).isNull();
    assertThat(Negotiation.select("text/html, image/*", ALL)).isNull();
    assertThat(Negotiation.select("application/statuslist+jwt;q=2", ALL)).isNull();
  }

  @Test
  void gzipIsAcceptedUnlessRefused() {
    assertThat(Negotiation.acceptsGzip(null)).isFalse();
    assertThat(Negotiation.acceptsGzip("gzip, deflate, br")).isTrue();
    assertThat(Negotiation.acceptsGzip("GZIP;q=0.5")).isTrue();
    assertThat(Negotiation.acceptsGzip("x-gzip")).isTrue();
    assertThat(Negotiation.acceptsGzip("br;q=1, *;q=0.1")).isTrue();
    assertThat(Negotiation.acceptsGzip("gzip;q=0, *")).isFalse();
    assertThat(Negotiation.acceptsGzip("identity")).isFalse();
    assertThat(Negotiation.acceptsGzip("*;q=0")).isFalse();
  }

  @Test
  void ifNoneMatchMatchesEitherTagWeaklyInAList() {
    assertThat(Negotiation.noneMatch("\"a\"", "\"a\"", "\"a-gz\"")).isTrue();
    assertThat(Negotiation.noneMatch(" * ", "\"a\"", "\"a-gz\"")).isTrue();
    assertThat(Negotiation.noneMatch("\"x\", W/\"a-gz\"", "\"a\"", "\"a-gz\"")).isTrue();
    assertThat(Negotiation.noneMatch("\"x\",\"a\" ", "\"a\"", "\"a-gz\"")).isTrue();
    assertThat(Negotiation.noneMatch("\"x\", \"A\"", "\"a\"", "\"a-gz\"")).isFalse();
    assertThat(Negotiation.noneMatch(null, "\"a\"", "\"a-gz\"")).isFalse();
  }

  /** The one-scan parser agrees with a plain split-and-parse reading of well-formed headers. */
  @Test
  void scanningAgreesWithSplittingOnRandomWellFormedHeaders() {
    Random random = new Random(20261121);
    String[] types = {
      "application/statuslist+jwt",
      "APPLICATION/STATUSLIST+CWT",
      "application/vc+jwt",
      "application/*",
      "*/*",
      "text/plain",
      "application/json",
      ""
    };
    String[] codings = {"gzip", "x-gzip", "GZip", "*", "br", "deflate", "identity", ""};
    String[] tags = {"\"v1-jwt-ab\"", "\"v1-jwt-ab-gz\"", "\"other\"", "*", ""};
    for (int n = 0; n < 20_000; n++) {
      String accept = list(random, types, true);
      String encoding = list(random, codings, true);
      String inm = list(random, tags, false);
      Object[] available = random.nextBoolean() ? ALL : NO_W3C;
      assertThat(Negotiation.select(accept, available))
          .as("Accept: %s", accept)
          .isEqualTo(Reference.select(accept, available));
      assertThat(Negotiation.acceptsGzip(encoding))
          .as("Accept-Encoding: %s", encoding)
          .isEqualTo(Reference.acceptsGzip(encoding));
      assertThat(Negotiation.noneMatch(inm, "\"v1-jwt-ab\"", "\"v1-jwt-ab-gz\""))
          .as("If-None-Match: %s", inm)
          .isEqualTo(Reference.noneMatch(inm, "\"v1-jwt-ab\"", "\"v1-jwt-ab-gz\""));
    }
  }

  private static String list(Random random, String[] items, boolean weights) {
    String[] q = {"1", "0", "0.5", "0.9", "0.001", "1.0", "1.000", "0.25"};
    StringBuilder b = new StringBuilder();
    int count = 1 + random.nextInt(4);
    for (int i = 0; i < count; i++) {
      if (i > 0) {
        b.append(random.nextBoolean() ? ", " : ",");
      }
      b.append(random.nextInt(4) == 0 ? " " : "")
          .append(items[random.nextInt(items.length)])
          .append(random.nextInt(4) == 0 ? " " : "");
      if (weights && random.nextInt(3) == 0) {
        b.append(random.nextBoolean() ? ";q=" : " ; Q=").append(q[random.nextInt(q.length)]);
      }
    }
    return b.toString();
  }

  /** The former split-based implementation, kept as the reading to agree with. */
  private static final class Reference {
    static Representation select(String accept, Object[] available) {
      Representation[] all = Representation.values();
      if (accept == null || accept.isEmpty() || accept.equals("*/*")) {
        for (Representation r : all) {
          if (available[r.ordinal()] != null) {
            return r;
          }
        }
        return null;
      }
      double[] q = new double[all.length];
      int[] specificity = new int[all.length];
      Arrays.fill(specificity, -1);
      for (String range : accept.split(",")) {
        String[] parts = range.split(";");
        String type = parts[0].trim().toLowerCase(Locale.ROOT);
        if (type.isEmpty()) {
          continue;
        }
        double weight = weight(parts);
        for (Representation r : all) {
          int s =
              type.equals(r.mediaType())
                  ? 2
                  : type.equals("*/*")
                      ? 0
                      : type.endsWith("/*")
                              && r.mediaType().startsWith(type.substring(0, type.length() - 1))
                          ? 1
                          : -1;
          if (s > specificity[r.ordinal()]) {
            specificity[r.ordinal()] = s;
            q[r.ordinal()] = weight;
          }
        }
      }
      Representation best = null;
      double bestQ = 0;
      for (Representation r : all) {
        if (available[r.ordinal()] != null
            && specificity[r.ordinal()] >= 0
            && q[r.ordinal()] > bestQ) {
          best = r;
          bestQ = q[r.ordinal()];
        }
      }
      return best;
    }

    static boolean acceptsGzip(String acceptEncoding) {
      if (acceptEncoding == null || acceptEncoding.isEmpty()) {
        return false;
      }
      double gzip = -1;
      double star = -1;
      for (String coding : acceptEncoding.split(",")) {
        String[] parts = coding.split(";");
        String name = parts[0].trim().toLowerCase(Locale.ROOT);
        double weight = weight(parts);
        if (name.equals("gzip") || name.equals("x-gzip")) {
          gzip = Math.max(gzip, weight);
        } else if (name.equals("*")) {
          star = weight;
        }
      }
      return gzip >= 0 ? gzip > 0 : star > 0;
    }

    static boolean noneMatch(String ifNoneMatch, String tag, String otherTag) {
      if (ifNoneMatch == null) {
        return false;
      }
      if (ifNoneMatch.trim().equals("*")) {
        return true;
      }
      for (String candidate : ifNoneMatch.split(",")) {
        String c = candidate.trim();
        if (c.startsWith("W/")) {
          c = c.substring(2);
        }
        if (c.equals(tag) || c.equals(otherTag)) {
          return true;
        }
      }
      return false;
    }

    private static double weight(String[] parts) {
      double weight = 1.0;
      for (int i = 1; i < parts.length; i++) {
        String p = parts[i].trim();
        if (p.length() > 2 && (p.charAt(0) == 'q' || p.charAt(0) == 'Q') && p.charAt(1) == '=') {
          String raw = p.substring(2).trim();
          double q = Double.parseDouble(raw);
          weight = q >= 0 && q <= 1 && raw.length() <= 5 ? q : 0;
        }
      }
      return weight;
    }
  }
}

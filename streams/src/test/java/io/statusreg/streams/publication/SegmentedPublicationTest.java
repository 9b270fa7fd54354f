package io.statusreg.streams.publication;

import static org.assertj.core.api.Assertions.assertThat;

import com.nimbusds.jose.JWSObject;
import com.nimbusds.jwt.SignedJWT;
import io.statusreg.registry.Actor;
import io.statusreg.registry.ListId;
import io.statusreg.registry.events.Purpose;
import io.statusreg.registry.fold.Decider;
import io.statusreg.registry.fold.Decision;
import io.statusreg.registry.fold.ListMeta;
import io.statusreg.registry.fold.ListState;
import io.statusreg.registry.fold.RegistryCommand;
import io.statusreg.registry.issuance.IndexPermutation;
import io.statusreg.registry.keys.VerificationKeys;
import io.statusreg.registry.lists.StatusList;
import io.statusreg.registry.tokens.CwtStatusListToken;
import io.statusreg.registry.tokens.StatusListEncoding;
import io.statusreg.registry.tokens.TokenVerifier;
import io.statusreg.streams.testing.TestSigner;
import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Base64;
import java.util.Map;
import java.util.Random;
import java.util.TreeSet;
import java.util.UUID;
import java.util.function.ObjIntConsumer;
import java.util.zip.GZIPInputStream;
import org.junit.jupiter.api.Test;

/**
 * Publications built from kept page segments mean exactly what a whole-list compression means: for
 * 1, 2 and 8 bits and every W3C form, after random changes over many publications, with a cache
 * small enough to evict, the JWT and CWT {@code lst} and the W3C {@code encodedList} inflate to the
 * same bytes as those of the whole-list signer, and the histogram is the list's.
 */
class SegmentedPublicationTest {
  private static final Instant NOW = Instant.parse("2026-03-01T10:00:00Z");
  private final TestSigner signer = new TestSigner(6);
  private final TokenVerifier verifier =
      TokenVerifier.of(VerificationKeys.of(signer.keys().defaultRing().keys()))
          .withClock(Clock.fixed(NOW, ZoneOffset.UTC));

  /** A list held in memory as the store holds it, with the pages written since a publication. */
  static final class Model implements PageSource {
    StatusList list;
    final TreeSet<Integer> written = new TreeSet<>();

    Model(int bits, long size) {
      list = StatusList.empty(bits, size);
    }

    void set(long idx, int value) {
      list = list.with(idx, value);
      written.add(list.pageOf(idx));
    }

    @Override
    public byte[] page(int n) {
      return list.hasPage(n) ? list.page(n) : null;
    }

    @Override
    public void forEachPage(ObjIntConsumer<byte[]> action) {
      list.forEachPage(n -> action.accept(list.page(n), n));
    }

    int[] takeWritten() {
      int[] out = written.stream().mapToInt(Integer::intValue).toArray();
      written.clear();
      return out;
    }
  }

  static ListMeta meta(String name, int bits, long size, Purpose purpose) {
    var created =
        new Decider()
            .decide(
                new RegistryCommand.CreateList(
                    UUID.randomUUID(),
                    ListId.of("acme", name),
                    bits,
                    size,
                    Duration.ofMinutes(5),
                    Duration.ofHours(1),
                    purpose,
                    new IndexPermutation.Key(1, 2),
                    Actor.issuer("c"),
                    NOW),
                ListState.initial());
    return ListState.initial().evolveAll(((Decision.Accepted) created).events()).meta();
  }

  @Test
  void segmentedPublicationsInflateToTheWholeListsBytesInEveryFormAcrossEvictions()
      throws Exception {
    Random random = new Random(20261202L);
    // Small enough that the two lists of a round evict each other now and then.
    SegmentCache cache = new SegmentCache(24 * 1024);
    ListPublisher publisher =
        new ListPublisher(
            signer, Clock.fixed(NOW, ZoneOffset.UTC), "https://s.example", Duration.ZERO, cache, 6);
    int checks = 0;
    for (int bits : new int[] {1, 2, 8}) {
      for (Purpose purpose : Purpose.values()) {
        if (purpose == Purpose.SUSPENSION && bits == 1) {
          continue; // refused at creation
        }
        long perPage = StatusList.PAGE_BYTES * 8L / bits;
        long[] sizes = {
          1 + random.nextInt(5000), // below the W3C minimum: padded
          perPage * (3 + random.nextInt(40)) + random.nextInt((int) perPage) // a partial page
        };
        Model[] models = new Model[sizes.length];
        ListMeta[] metas = new ListMeta[sizes.length];
        for (int l = 0; l < sizes.length; l++) {
          models[l] = new Model(bits, sizes[l]);
          metas[l] = meta("l" + bits + purpose + l, bits, sizes[l], purpose);
        }
        long version = 0;
        for (int round = 0; round < 25; round++) {
          for (int l = 0; l < models.length; l++) {
            Model m = models[l];
            int changes = random.nextInt(round == 0 ? 200 : 30);
            for (int c = 0; c < changes; c++) {
              long idx =
                  random.nextInt(4) == 0
                      ? m.list.size() - 1 - random.nextInt((int) Math.min(m.list.size(), 40))
                      : (long) (random.nextDouble() * m.list.size());
              // one change in four clears an entry back to VALID
              m.set(idx, random.nextInt(4) == 0 ? 0 : 1 + random.nextInt((1 << bits) - 1));
            }
            // the first publication and one in ten know nothing of what changed
            int[] written = m.takeWritten();
            int[] changed = round == 0 || random.nextInt(10) == 0 ? null : written;
            ListPublisher.Published p =
                publisher.publish(metas[l].listId().key(), metas[l], m, changed, version++, null);
            check(p, m.list, purpose);
            checks++;
          }
        }
      }
    }
    assertThat(checks).isEqualTo(2 * 25 * 8);
    assertThat(cache.hits())
        .as("publications from kept segments, %d evictions", cache.evictions())
        .isGreaterThan(checks / 2);
    assertThat(cache.evictions()).as("evictions").isPositive();
    assertThat(cache.bytes()).isLessThanOrEqualTo(cache.maxBytes());
  }

  private void check(ListPublisher.Published published, StatusList list, Purpose purpose)
      throws Exception {
    var token = published.token();
    ListSigner.SignedList whole =
        signer.sign(
            token.listId(),
            token.uri(),
            list,
            purpose,
            Duration.ofMinutes(5),
            token.issuedAt(),
            token.expiresAt());
    // JWT: lst inflates to the packed list, as the whole-list signer's does.
    byte[] jwtLst = lst(token.jwt());
    byte[] packed = list.toBytes();
    assertThat(StatusListEncoding.inflate(jwtLst, packed.length)).isEqualTo(packed);
    assertThat(StatusListEncoding.inflate(lst(whole.jwt()), packed.length)).isEqualTo(packed);
    // CWT: verified, the same zlib bytes as the JWT's lst, and the same list.
    CwtStatusListToken cwt = CwtStatusListToken.verify(token.cwt(), verifier);
    assertThat(cwt.lst()).isEqualTo(jwtLst);
    assertThat(cwt.claims().list().toBytes()).isEqualTo(packed);
    // W3C: the gzip inflates to the whole-list signer's bitstring.
    assertThat(gunzip(encodedList(token.w3c()))).isEqualTo(gunzip(encodedList(whole.w3c())));
    assertThat(token.counts()).containsExactly(list.histogram());
  }

  private static byte[] lst(byte[] jwt) throws Exception {
    Map<String, Object> sl =
        SignedJWT.parse(new String(jwt, StandardCharsets.US_ASCII))
            .getJWTClaimsSet()
            .getJSONObjectClaim("status_list");
    return Base64.getUrlDecoder().decode((String) sl.get("lst"));
  }

  @SuppressWarnings("unchecked")
  private static byte[] encodedList(byte[] vcJwt) throws Exception {
    Map<String, Object> vc =
        JWSObject.parse(new String(vcJwt, StandardCharsets.US_ASCII)).getPayload().toJSONObject();
    String encoded =
        (String) ((Map<String, Object>) vc.get("credentialSubject")).get("encodedList");
    assertThat(encoded).startsWith("u");
    return Base64.getUrlDecoder().decode(encoded.substring(1));
  }

  private static byte[] gunzip(byte[] gzip) throws Exception {
    try (GZIPInputStream in = new GZIPInputStream(new ByteArrayInputStream(gzip))) {
      return in.readAllBytes();
    }
  }
}

package io.statusreg.streams.publication;

import static org.assertj.core.api.Assertions.assertThat;

import io.statusreg.registry.ListId;
import io.statusreg.registry.RegistryException;
import io.statusreg.registry.events.Purpose;
import io.statusreg.registry.fold.ListMeta;
import io.statusreg.registry.lists.StatusList;
import io.statusreg.streams.publication.PublisherMetrics.Failure;
import io.statusreg.streams.testing.AuditCapture;
import io.statusreg.streams.testing.MutableClock;
import io.statusreg.streams.testing.TestSigner;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;

/**
 * A list whose signer keeps failing backs off (1 s, doubling, at most 60 s), shows in the back-off
 * gauge and the failure counter, logs one line when it enters back-off and one when it recovers,
 * and is published at its next attempt once signing works again. A fixed clock, ticks of 250 ms.
 */
class PublishAttemptsTest {
  private static final Instant START = Instant.parse("2026-03-01T10:00:00Z");

  private final MutableClock clock = new MutableClock(START);
  private final AtomicBoolean broken = new AtomicBoolean(true);
  private final TestSigner real = new TestSigner(6);
  private final ListSigner signer =
      new ListSigner() {
        @Override
        public SignedList sign(
            ListId list,
            String uri,
            StatusList entries,
            Purpose purpose,
            Duration ttl,
            Instant iat,
            Instant exp) {
          if (broken.get()) {
            throw new RegistryException("the HSM does not answer");
          }
          return real.sign(list, uri, entries, purpose, ttl, iat, exp);
        }
      };
  private final PublisherMetrics metrics = new PublisherMetrics();
  private final List<Duration> timerRecords = new ArrayList<>();

  @Test
  void aListWhoseSigningFailsBacksOffExponentiallyAndRecoversWhenSigningWorksAgain() {
    metrics.listen((bytes, took) -> timerRecords.add(took));
    ListPublisher publisher =
        new ListPublisher(
            signer,
            clock,
            "https://s.example",
            Duration.ofMinutes(10),
            new SegmentCache(1 << 20),
            6);
    PublishAttempts attempts = new PublishAttempts(clock, metrics);
    ListMeta meta = SegmentedPublicationTest.meta("hsm", 1, 10_000, Purpose.REVOCATION);
    SegmentedPublicationTest.Model pages = new SegmentedPublicationTest.Model(1, 10_000);
    pages.set(42, 1);
    String key = meta.listId().key();
    List<Long> attemptsAt = new ArrayList<>();
    List<Long> publishedAt = new ArrayList<>();

    try (AuditCapture log = new AuditCapture(PublishAttempts.class.getName())) {
      // 200 s of ticks every 250 ms with a failing signer, then it works again.
      for (long t = 0; t <= 260_000; t += 250) {
        clock.advance(Duration.ofMillis(t == 0 ? 0 : 250));
        if (t == 200_000) {
          broken.set(false);
        }
        if (!attempts.due(key)) {
          continue;
        }
        long at = t;
        attemptsAt.add(at);
        boolean ok =
            attempts.run(
                key,
                () -> {
                  var p = publisher.publish(key, meta, pages, null, 0, null);
                  return (long) p.token().jwt().length;
                });
        if (ok) {
          publishedAt.add(at);
          break;
        }
        assertThat(metrics.inBackoff()).isEqualTo(1);
        assertThat(attempts.inBackoff()).isEqualTo(1);
      }

      // 0, +1, +2, +4, ... +32 s, then every 60 s: 0, 1, 3, 7, 15, 31, 63, 123, 183, 243 s.
      assertThat(attemptsAt)
          .containsExactly(
              0L, 1_000L, 3_000L, 7_000L, 15_000L, 31_000L, 63_000L, 123_000L, 183_000L, 243_000L);
      assertThat(publishedAt).containsExactly(243_000L);
      assertThat(metrics.failures(Failure.SIGNING)).isEqualTo(9);
      assertThat(metrics.failures(Failure.STORE)).isZero();
      assertThat(metrics.failures(Failure.ENCODING)).isZero();
      assertThat(metrics.failures(Failure.OTHER)).isZero();
      assertThat(metrics.inBackoff()).isZero();
      assertThat(attempts.inBackoff()).isZero();
      assertThat(metrics.published()).isEqualTo(1);
      assertThat(metrics.bytes()).isPositive();
      assertThat(timerRecords).hasSize(1);
      // One line entering back-off, one leaving it: not one per failed attempt.
      assertThat(log.lines()).hasSize(2);
      assertThat(log.lines().get(0))
          .contains("publishing list " + key + " failed (signing:")
          .contains("the HSM does not answer")
          .contains("backing off");
      assertThat(log.lines().get(1))
          .contains("published list " + key + " again after 9 failed attempt(s)");
    }
  }

  @Test
  void theDelayDoublesFromOneSecondAndStopsAtTheMaximum() {
    assertThat(PublishAttempts.delay(1)).isEqualTo(Duration.ofSeconds(1));
    assertThat(PublishAttempts.delay(2)).isEqualTo(Duration.ofSeconds(2));
    assertThat(PublishAttempts.delay(6)).isEqualTo(Duration.ofSeconds(32));
    assertThat(PublishAttempts.delay(7)).isEqualTo(PublishAttempts.MAX_BACKOFF);
    assertThat(PublishAttempts.delay(10_000)).isEqualTo(PublishAttempts.MAX_BACKOFF);
  }

  @Test
  void aStoreThatCannotBeReadIsCountedAsAStoreFailureAndAClosedTaskLeavesTheGauge() {
    ListPublisher publisher =
        new ListPublisher(
            real, clock, "https://s.example", Duration.ofMinutes(10), new SegmentCache(1 << 20), 6);
    PublishAttempts attempts = new PublishAttempts(clock, metrics);
    ListMeta meta = SegmentedPublicationTest.meta("disk", 1, 10_000, Purpose.REVOCATION);
    PageSource unreadable =
        new PageSource() {
          @Override
          public byte[] page(int n) {
            throw new IllegalStateException("RocksDB: IO error");
          }

          @Override
          public void forEachPage(java.util.function.ObjIntConsumer<byte[]> action) {
            throw new IllegalStateException("RocksDB: IO error");
          }
        };

    boolean ok =
        attempts.run(
            meta.listId().key(),
            () ->
                (long)
                    publisher
                        .publish(meta.listId().key(), meta, unreadable, null, 0, null)
                        .token()
                        .jwt()
                        .length);

    assertThat(ok).isFalse();
    assertThat(metrics.failures(Failure.STORE)).isEqualTo(1);
    assertThat(metrics.inBackoff()).isEqualTo(1);
    attempts.close();
    assertThat(metrics.inBackoff()).isZero();
  }
}

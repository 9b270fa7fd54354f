package io.statusreg.streams.publication;

import static org.assertj.core.api.Assertions.assertThat;

import io.statusreg.registry.ListId;
import io.statusreg.registry.Status;
import io.statusreg.registry.events.Purpose;
import io.statusreg.registry.fold.ListMeta;
import io.statusreg.registry.fold.ListState;
import io.statusreg.registry.fold.RegistryCommand;
import io.statusreg.registry.issuance.IndexPermutation;
import io.statusreg.registry.lists.StatusList;
import io.statusreg.streams.testing.TestSigner;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/** The publisher alone: a fixed clock, a test signer, no Kafka. */
class ListPublisherTest {
  private static final Instant NOW = Instant.parse("2026-03-01T10:00:00.750Z");
  private static final ListId LIST = ListId.of("acme", "staff");

  private final TestSigner signer = new TestSigner(6);
  private final ListPublisher publisher =
      new ListPublisher(
          signer,
          Clock.fixed(NOW, ZoneOffset.UTC),
          "https://status.example",
          Duration.ofMinutes(10));

  private static ListMeta meta(Duration validity) {
    var created =
        new io.statusreg.registry.fold.Decider()
            .decide(
                new RegistryCommand.CreateList(
                    UUID.randomUUID(),
                    LIST,
                    2,
                    1000,
                    Duration.ofMinutes(5),
                    validity,
                    Purpose.REVOCATION,
                    new IndexPermutation.Key(1, 2),
                    io.statusreg.registry.Actor.issuer("c"),
                    NOW),
                ListState.initial());
    return ListState.initial()
        .evolveAll(((io.statusreg.registry.fold.Decision.Accepted) created).events())
        .meta();
  }

  @Test
  void publishesTheNextVersionWithTimesFromTheClockAndSaysWhenToRefresh() {
    ListMeta meta = meta(Duration.ofHours(1));
    StatusList entries = StatusList.empty(2, 1000).with(7, Status.INVALID.code());

    ListPublisher.Published published =
        publisher.publish(meta, entries, 4, Instant.parse("2026-03-01T09:59:59Z"));

    var token = published.token();
    assertThat(token.version()).isEqualTo(5);
    assertThat(token.issuedAt()).isEqualTo(Instant.parse("2026-03-01T10:00:00Z"));
    assertThat(token.expiresAt()).isEqualTo(Instant.parse("2026-03-01T11:00:00Z"));
    assertThat(token.uri()).isEqualTo("https://status.example/statuslists/acme/staff");
    assertThat(token.etag()).startsWith("\"v5-");
    assertThat(token.oldestChangeAt()).isEqualTo(Instant.parse("2026-03-01T09:59:59Z"));
    assertThat(published.refreshAt()).isEqualTo(Instant.parse("2026-03-01T10:50:00Z"));
    TestSigner.Decoded decoded = signer.decode(token.jwt());
    assertThat(decoded.iat()).isEqualTo(token.issuedAt());
    assertThat(decoded.sub()).isEqualTo(token.uri());
    assertThat(StatusList.fromBytes(2, 1000, decoded.packed()).get(7))
        .isEqualTo(Status.INVALID.code());
    assertThat(signer.signatures.get()).isEqualTo(1);
  }

  @Test
  void aShortValidityIsRefreshedHalfWayRatherThanBeforeItWasIssued() {
    ListPublisher.Published published =
        publisher.publish(meta(Duration.ofMinutes(10)), StatusList.empty(2, 1000), 0, null);

    assertThat(published.token().version()).isEqualTo(1);
    assertThat(published.refreshAt()).isEqualTo(Instant.parse("2026-03-01T10:05:00Z"));
    assertThat(published.token().oldestChangeAt()).isNull();
  }
}

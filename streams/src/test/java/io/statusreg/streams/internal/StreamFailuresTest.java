package io.statusreg.streams.internal;

import static org.assertj.core.api.Assertions.assertThat;

import io.statusreg.streams.testing.MutableClock;
import java.time.Duration;
import java.time.Instant;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.errors.RecordTooLargeException;
import org.apache.kafka.common.errors.TimeoutException;
import org.apache.kafka.streams.errors.ProductionExceptionHandler;
import org.apache.kafka.streams.errors.StreamsException;
import org.apache.kafka.streams.errors.StreamsUncaughtExceptionHandler.StreamThreadExceptionResponse;
import org.junit.jupiter.api.Test;

class StreamFailuresTest {
  private final MutableClock clock = new MutableClock(Instant.parse("2026-01-01T00:00:00Z"));
  private final StreamFailures failures = new StreamFailures(clock, 3, Duration.ofMinutes(5));

  @Test
  void aRecoverableFailureReplacesTheThreadAndTheNodeStaysLive() {
    StreamThreadExceptionResponse response =
        failures.handle(new StreamsException(new RecordTooLargeException("too large")));

    assertThat(response).isEqualTo(StreamThreadExceptionResponse.REPLACE_THREAD);
    assertThat(failures.crashLooping()).isFalse();
    assertThat(failures.total()).isEqualTo(1);
  }

  @Test
  void withStaticMembershipAFailedThreadIsNeverReplacedButTheClientIsRestartedWithTheSameIds() {
    StreamFailures staticMembers = new StreamFailures(clock, true, 3, Duration.ofMinutes(5));

    assertThat(staticMembers.handle(new StreamsException("task corrupted")))
        .isEqualTo(StreamThreadExceptionResponse.SHUTDOWN_CLIENT);
    assertThat(StreamFailures.isFatal(new StreamsException("task corrupted"))).isFalse();
    assertThat(staticMembers.crashLooping()).isFalse();
    assertThat(staticMembers.total()).isEqualTo(1);
  }

  @Test
  void anErrorShutsTheClientDown() {
    assertThat(failures.handle(new StreamsException(new OutOfMemoryError("heap"))))
        .isEqualTo(StreamThreadExceptionResponse.SHUTDOWN_CLIENT);
  }

  @Test
  void threadsFailingAgainAndAgainAreReportedAsNotLiveUntilTheyStop() {
    for (int i = 0; i < 3; i++) {
      assertThat(failures.handle(new StreamsException("same poison record")))
          .isEqualTo(StreamThreadExceptionResponse.REPLACE_THREAD);
      clock.advance(Duration.ofSeconds(13));
    }
    assertThat(failures.crashLooping()).isTrue();

    clock.advance(Duration.ofMinutes(5));
    assertThat(failures.crashLooping()).as("no failure for a whole window").isFalse();
  }

  @Test
  void failuresFarApartAreNotACrashLoop() {
    for (int i = 0; i < 5; i++) {
      failures.handle(new StreamsException("rare"));
      clock.advance(Duration.ofMinutes(3));
    }
    assertThat(failures.crashLooping()).isFalse();
  }

  @Test
  void theProductionPolicyNeverDropsARecord() {
    NeverDropProductionHandler handler = new NeverDropProductionHandler();
    ProducerRecord<byte[], byte[]> reply =
        new ProducerRecord<>("statusreg.replies", new byte[] {1}, new byte[2_000_000]);

    assertThat(handler.handleError(null, reply, new RecordTooLargeException("1 MB")).result())
        .isEqualTo(ProductionExceptionHandler.Result.FAIL);
    assertThat(handler.handleError(null, reply, new IllegalStateException("x")).result())
        .isEqualTo(ProductionExceptionHandler.Result.FAIL);
    assertThat(handler.handleError(null, reply, new TimeoutException("slow")).result())
        .isEqualTo(ProductionExceptionHandler.Result.RETRY);
    assertThat(
            handler
                .handleSerializationError(
                    null,
                    reply,
                    new IllegalArgumentException("bad"),
                    ProductionExceptionHandler.SerializationExceptionOrigin.VALUE)
                .result())
        .isEqualTo(ProductionExceptionHandler.Result.FAIL);
  }
}

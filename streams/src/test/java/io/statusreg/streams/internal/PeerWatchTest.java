package io.statusreg.streams.internal;

import static org.assertj.core.api.Assertions.assertThat;

import io.statusreg.streams.internal.MembershipBeacon.Member;
import io.statusreg.streams.internal.MembershipBeacon.Outcome;
import io.statusreg.streams.internal.MembershipBeacon.Probe;
import io.statusreg.streams.internal.PeerWatch.Peer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** The watch's decisions, with scripted probes and a hand-moved clock. */
class PeerWatchTest {
  private static final Peer SELF = new Peer("registry-0", 8079);
  private static final Peer A = new Peer("registry-1", 8079);
  private static final Peer B = new Peer("registry-2", 8079);
  private static final Duration DOWN_AFTER = Duration.ofMillis(500);

  private final Map<Peer, Outcome> outcomes = new HashMap<>();
  private final List<Peer> probed = new ArrayList<>();
  private final List<Member> removed = new ArrayList<>();
  private long nanos;
  private boolean removerFails;
  private boolean alreadyLeft;

  private final PeerWatch watch =
      new PeerWatch(
          SELF,
          DOWN_AFTER,
          peer -> {
            probed.add(peer);
            Outcome o = outcomes.getOrDefault(peer, Outcome.UNKNOWN);
            return o == Outcome.ALIVE
                ? new Probe(
                    o, Optional.of(new Member(peer.host(), 2, List.of(peer.host() + "-txn-1"))))
                : new Probe(o, Optional.empty());
          },
          m -> {
            if (removerFails) {
              throw new IllegalStateException("coordinator not available");
            }
            removed.add(m);
            return !alreadyLeft;
          },
          () -> nanos);

  private void tickAfter(long millis, Peer... owners) {
    nanos += Duration.ofMillis(millis).toNanos();
    watch.tick(List.of(owners));
  }

  @Test
  void aPeerThatAnsweredAndThenRefusesLongEnoughIsRemovedOnce() {
    outcomes.put(A, Outcome.ALIVE);
    tickAfter(250, A, B, SELF);
    outcomes.put(A, Outcome.REFUSED); // kill -9
    tickAfter(250, A, B, SELF);
    tickAfter(250, A, B, SELF);
    assertThat(removed).as("refused for 250 ms of 500").isEmpty();
    tickAfter(250, A, B, SELF);
    assertThat(removed).containsExactly(new Member("registry-1", 2, List.of("registry-1-txn-1")));
    assertThat(watch.removals()).isEqualTo(1);
    // Streams' metadata still lists it until the rebalance: no second removal.
    tickAfter(250, A, B, SELF);
    tickAfter(250, A, B, SELF);
    assertThat(removed).hasSize(1);
    assertThat(probed).doesNotContain(SELF);
  }

  @Test
  void aPeerNeverSeenAnsweringIsLeftToTheSessionTimeout() {
    // Another release without a beacon, or a peer that died before this node first looked.
    outcomes.put(A, Outcome.REFUSED);
    for (int i = 0; i < 20; i++) {
      tickAfter(250, A);
    }
    assertThat(removed).isEmpty();
  }

  @Test
  void aTimeoutIsNoProofAndRestartsTheCount() {
    outcomes.put(A, Outcome.ALIVE);
    tickAfter(250, A);
    for (int i = 0; i < 10; i++) {
      outcomes.put(A, i % 2 == 0 ? Outcome.REFUSED : Outcome.UNKNOWN);
      tickAfter(250, A);
    }
    assertThat(removed).as("never refused twice in a row").isEmpty();
    outcomes.put(A, Outcome.UNKNOWN); // a hung process or a lost node
    for (int i = 0; i < 20; i++) {
      tickAfter(250, A);
    }
    assertThat(removed).isEmpty();
  }

  @Test
  void aPeerThatAnswersOnTheLastLookIsKept() {
    outcomes.put(A, Outcome.ALIVE);
    tickAfter(250, A);
    outcomes.put(A, Outcome.REFUSED);
    tickAfter(250, A);
    // The next round's first probe refuses, the last look before removing finds it back.
    PeerWatch flaky =
        new PeerWatch(
            SELF,
            Duration.ZERO,
            new PeerWatch.Prober() {
              int calls;

              @Override
              public Probe probe(Peer peer) {
                calls++;
                return switch (calls) {
                  case 1 ->
                      new Probe(Outcome.ALIVE, Optional.of(new Member("registry-1", 1, List.of())));
                  case 2 -> new Probe(Outcome.REFUSED, Optional.empty());
                  default ->
                      new Probe(Outcome.ALIVE, Optional.of(new Member("registry-1", 1, List.of())));
                };
              }
            },
            removed::add,
            () -> nanos);
    flaky.tick(List.of(A));
    flaky.tick(List.of(A));
    assertThat(removed).isEmpty();
    assertThat(flaky.removals()).isZero();
  }

  @Test
  void aRestartedPeerThatDiesAgainIsRemovedAgain() {
    outcomes.put(A, Outcome.ALIVE);
    tickAfter(250, A);
    outcomes.put(A, Outcome.REFUSED);
    tickAfter(250, A);
    tickAfter(500, A);
    assertThat(removed).hasSize(1);
    outcomes.put(A, Outcome.ALIVE); // back, and owning tasks again
    tickAfter(250, A);
    outcomes.put(A, Outcome.REFUSED);
    tickAfter(250, A);
    tickAfter(500, A);
    assertThat(removed).hasSize(2);
  }

  @Test
  void aFailedRemovalIsTriedAgainAfterAnotherWait() {
    outcomes.put(A, Outcome.ALIVE);
    tickAfter(250, A);
    outcomes.put(A, Outcome.REFUSED);
    removerFails = true;
    tickAfter(250, A);
    tickAfter(500, A); // tried, failed
    removerFails = false;
    tickAfter(250, A);
    assertThat(removed).as("not before another 500 ms").isEmpty();
    tickAfter(250, A);
    assertThat(removed).hasSize(1);
    assertThat(watch.removals()).isEqualTo(1);
  }

  @Test
  void aPeerThatHadLeftIsNotCountedAsARemoval() {
    alreadyLeft = true; // a planned stop: its beacon closes after its LeaveGroup
    outcomes.put(A, Outcome.ALIVE);
    tickAfter(250, A);
    outcomes.put(A, Outcome.REFUSED);
    tickAfter(250, A);
    tickAfter(500, A);
    tickAfter(500, A);
    assertThat(removed).as("asked once").hasSize(1);
    assertThat(watch.removals()).isZero();
  }

  @Test
  void aPeerThatNoLongerOwnsTasksIsForgotten() {
    outcomes.put(A, Outcome.ALIVE);
    tickAfter(250, A);
    tickAfter(250); // its tasks moved away (it left)
    outcomes.put(A, Outcome.REFUSED);
    tickAfter(250, A); // listed again, but this watch has not seen it answer since
    tickAfter(1000, A);
    assertThat(removed).isEmpty();
  }
}

package io.statusreg.streams.internal;

import io.statusreg.streams.internal.MembershipBeacon.Member;
import io.statusreg.streams.internal.MembershipBeacon.Outcome;
import io.statusreg.streams.internal.MembershipBeacon.Probe;
import java.time.Duration;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.LongSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Takes a dead peer's static members out of the consumer group so that its warm standbys take over
 * its lists at once, instead of after {@code session.timeout.ms}.
 *
 * <p>A static member that dies without a LeaveGroup (kill -9, an OOM kill, a crashed JVM) keeps its
 * partitions until the coordinator expires its session: the lists of that instance took no write
 * and published nothing for 13-25 s in the chaos kill-instance runs. Every tick the watch probes
 * the {@link MembershipBeacon} of each peer that owns active tasks (the hosts of Streams' metadata,
 * at the port of their {@code application.server}). A peer whose beacon answered before and now
 * refuses connections for {@code peer.down.after.ms} has no live consumer, so its static members
 * are removed from the group (KIP-345, the LeaveGroup API) exactly as its own planned stop would
 * have done; a quick restart rejoins as a new member and gets its tasks back once caught up, as a
 * rolled pod does.
 *
 * <p>Only a refusal counts: a probe that times out, or a host that does not resolve, proves nothing
 * (a long pause, a network fault, a lost node) and resets the count, leaving those to the session
 * timeout. A wrong removal of a live member costs a rebalance and nothing else: its next commit is
 * fenced and its uncommitted work is redone by the new owner (exactly_once_v2).
 */
public final class PeerWatch {
  private static final Logger log = LoggerFactory.getLogger(PeerWatch.class);

  /** A peer's beacon address. */
  public record Peer(String host, int port) {
    @Override
    public String toString() {
      return host + ":" + port;
    }
  }

  /** Probes one peer's beacon. */
  public interface Prober {
    Probe probe(Peer peer);
  }

  /**
   * Removes one node's static members from the group and fences its producers; throws when that
   * fails.
   *
   * @return false when none of its members was in the group any more (it left, or another peer
   *     removed it), so there was nothing to do
   */
  public interface Remover {
    boolean remove(Member member) throws Exception;
  }

  private static final class State {
    Member member; // from its last answer
    long refusedSince = -1; // nanos of the first refusal in a row, -1 when not refusing
    boolean removed; // acted on since it last answered
  }

  private final Peer self;
  private final Duration downAfter;
  private final Prober prober;
  private final Remover remover;
  private final LongSupplier nanos;
  private final Map<Peer, State> states = new HashMap<>();
  private final AtomicLong removals = new AtomicLong();

  public PeerWatch(
      Peer self, Duration downAfter, Prober prober, Remover remover, LongSupplier nanos) {
    this.self = self;
    this.downAfter = downAfter;
    this.prober = prober;
    this.remover = remover;
    this.nanos = nanos;
  }

  /** Peers whose static members this watch removed. */
  public long removals() {
    return removals.get();
  }

  /**
   * One round: probes every peer that owns active tasks and removes the members of those found
   * dead. Not thread-safe: one scheduler thread calls it.
   */
  public void tick(Collection<Peer> owners) {
    Set<Peer> seen = new HashSet<>();
    for (Peer peer : owners) {
      if (peer.equals(self) || !seen.add(peer)) {
        continue;
      }
      State st = states.computeIfAbsent(peer, p -> new State());
      Probe probe = prober.probe(peer);
      long now = nanos.getAsLong();
      if (probe.outcome() == Outcome.ALIVE) {
        if (st.removed || st.refusedSince >= 0) {
          log.info("peer {} answers again ({})", peer, probe.member().orElseThrow().instanceId());
        }
        st.member = probe.member().orElseThrow();
        st.refusedSince = -1;
        st.removed = false;
      } else if (probe.outcome() == Outcome.UNKNOWN) {
        st.refusedSince = -1; // no proof either way: the session timeout decides
      } else if (st.member != null && !st.removed) {
        if (st.refusedSince < 0) {
          st.refusedSince = now;
          log.info("peer {} ({}) refuses connections", peer, st.member.instanceId());
        }
        long refusedFor = now - st.refusedSince;
        if (refusedFor >= downAfter.toNanos()) {
          remove(peer, st, Duration.ofNanos(refusedFor));
        }
      }
    }
    states.keySet().retainAll(seen);
  }

  private void remove(Peer peer, State st, Duration refusedFor) {
    // The last look: a restarted process may be answering already (it rejoined as the same
    // member), and removing it would cost one more rebalance.
    Probe again = prober.probe(peer);
    if (again.outcome() != Outcome.REFUSED) {
      st.refusedSince = -1;
      return;
    }
    try {
      boolean removed = remover.remove(st.member);
      st.removed = true;
      if (!removed) {
        log.info(
            "peer {} ({}) is gone and was no longer in the group (it left, or another peer"
                + " removed it)",
            peer,
            st.member.instanceId());
        return;
      }
      removals.incrementAndGet();
      log.warn(
          "peer {} ({}) has refused connections for {} ms: removed its static members from the"
              + " group so that their standbys take over its tasks now, not at the session timeout",
          peer,
          st.member.instanceId(),
          refusedFor.toMillis());
    } catch (Exception e) {
      st.refusedSince = nanos.getAsLong(); // try again after another downAfter
      log.warn(
          "peer {} ({}) refuses connections but its static members could not be removed: {}",
          peer,
          st.member.instanceId(),
          e.toString());
    }
  }
}

package io.statusreg.registry.fold;

import static org.assertj.core.api.Assertions.assertThat;

import io.statusreg.registry.Actor;
import io.statusreg.registry.ListId;
import io.statusreg.registry.Reason;
import io.statusreg.registry.Status;
import io.statusreg.registry.events.IndexesAllocated;
import io.statusreg.registry.events.Purpose;
import io.statusreg.registry.events.RegistryEvent;
import io.statusreg.registry.fold.RegistryCommand.AllocateIndexes;
import io.statusreg.registry.fold.RegistryCommand.Change;
import io.statusreg.registry.fold.RegistryCommand.ChangeStatus;
import io.statusreg.registry.fold.RegistryCommand.CreateList;
import io.statusreg.registry.fold.RegistryCommand.RetireList;
import io.statusreg.registry.issuance.IndexPermutation;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

/** Commands with sensible defaults, and a given/when/then harness over decide and evolve. */
final class Fixtures {
  static final ListId LIST = ListId.of("acme", "main");
  static final Actor ISSUER = Actor.issuer("client-1");
  static final Instant T0 = Instant.parse("2026-01-01T00:00:00Z");
  static final IndexPermutation.Key KEY = new IndexPermutation.Key(0x1234, 0x5678);
  static final Decider DECIDER = new Decider();

  private static long commands;

  private Fixtures() {}

  static UUID nextId() {
    return new UUID(0xC0FFEE, ++commands);
  }

  static CreateList create(ListId list, int bits, long size) {
    return new CreateList(
        nextId(),
        list,
        bits,
        size,
        Duration.ofMinutes(5),
        Duration.ofDays(1),
        Purpose.REVOCATION,
        KEY,
        ISSUER,
        T0);
  }

  static CreateList create(int bits, long size) {
    return create(LIST, bits, size);
  }

  static CreateList create(int bits, long size, Duration ttl, Duration validity) {
    return new CreateList(
        nextId(), LIST, bits, size, ttl, validity, Purpose.REVOCATION, KEY, ISSUER, T0);
  }

  static AllocateIndexes allocate(int count) {
    return allocate(LIST, count);
  }

  static AllocateIndexes allocate(ListId list, int count) {
    return new AllocateIndexes(nextId(), list, count, ISSUER, T0.plusSeconds(1));
  }

  static ChangeStatus change(long idx, Status status) {
    return changes(new Change(idx, status, Reason.UNSPECIFIED));
  }

  static ChangeStatus changes(Change... changes) {
    return changes(LIST, changes);
  }

  static ChangeStatus changes(ListId list, Change... changes) {
    return new ChangeStatus(nextId(), list, List.of(changes), ISSUER, T0.plusSeconds(2));
  }

  static Change to(long idx, Status status) {
    return new Change(idx, status, Reason.UNSPECIFIED);
  }

  static RetireList retire() {
    return new RetireList(nextId(), LIST, Actor.operator("ops"), T0.plusSeconds(3));
  }

  /** Decides and evolves each command in turn from the initial state; each must be accepted. */
  static ListState given(RegistryCommand... history) {
    ListState state = ListState.initial();
    for (RegistryCommand c : history) {
      state = state.evolveAll(accepted(DECIDER.decide(c, state)));
    }
    return state;
  }

  static List<RegistryEvent> accepted(Decision decision) {
    assertThat(decision).isInstanceOf(Decision.Accepted.class);
    return ((Decision.Accepted) decision).events();
  }

  static Rejection rejected(Decision decision) {
    assertThat(decision).isInstanceOf(Decision.Rejected.class);
    return ((Decision.Rejected) decision).rejection();
  }

  /** The indexes an allocation handed out, in cursor order. */
  static List<Long> indexesOf(ListState state, List<RegistryEvent> events) {
    IndexPermutation perm = state.meta().permutation();
    List<Long> out = new ArrayList<>();
    for (RegistryEvent e : events) {
      if (e instanceof IndexesAllocated a) {
        for (long c = a.fromCursor(); c < a.fromCursor() + a.count(); c++) {
          out.add(perm.apply(c));
        }
      }
    }
    return out;
  }

  /** The index handed out for cursor {@code c}. */
  static long indexAt(ListState state, long cursor) {
    return state.meta().permutation().apply(cursor);
  }
}

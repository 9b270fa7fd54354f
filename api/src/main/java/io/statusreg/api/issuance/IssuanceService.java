package io.statusreg.api.issuance;

import io.statusreg.api.ApiSettings;
import io.statusreg.api.auth.Principal;
import io.statusreg.api.http.Commands;
import io.statusreg.api.http.IdempotencyKey.CommandId;
import io.statusreg.api.metrics.ApiMetrics;
import io.statusreg.api.problems.ApiProblem;
import io.statusreg.api.problems.ProblemKind;
import io.statusreg.api.problems.Problems;
import io.statusreg.common.wire.PublishedToken;
import io.statusreg.registry.IssuerId;
import io.statusreg.registry.ListId;
import io.statusreg.registry.events.Purpose;
import io.statusreg.registry.fold.Decision;
import io.statusreg.registry.fold.ListMeta;
import io.statusreg.registry.fold.RegistryCommand;
import io.statusreg.registry.fold.Rejection;
import io.statusreg.registry.identifiers.ListKind;
import io.statusreg.registry.issuance.IndexPermutation;
import io.statusreg.registry.tokens.W3cForm;
import io.statusreg.streams.TokenDirectory;
import io.statusreg.streams.gateway.CommandGateway.Outcome;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Issuance: creates lists (random URL-safe name, permutation key from {@link SecureRandom}) and
 * hands out indexes (or an identifier list's slots), choosing a list of the issuer with room of the
 * asked kind when the caller names none.
 *
 * <p>With an Idempotency-Key a new list's name is derived from the scoped key instead of drawn, so
 * a retried creation (directly, or by an issuer-level allocation that found no room) names the same
 * list and is answered by its owner from the first attempt's reply: a retry never creates a second
 * list. An issuer-level allocation's per-list commands derive their ids from the key and the list,
 * so a retry that reaches a list the first attempt used gets the first attempt's indexes; a retry
 * whose candidate lists differ from the first attempt's (a list filled up in between) may allocate
 * on another list, the first attempt's indexes then stay unused (never handed to anyone else).
 *
 * <p>A creation (and an allocation that opens a list) answers once this instance's directory holds
 * the new list's first token, at most {@code lists.first.publication.wait.ms}: the URI of a
 * credential issued with the answer resolves for its verifiers at once.
 *
 * <p>Quotas ({@link ApiSettings.Quotas}) are checked before a list is created: the largest list
 * exactly, the number of lists and the entries of all lists against the issuer's published lists
 * plus those this instance created since that have not been published yet. Two instances creating
 * lists for one issuer at the same moment can each pass the check, so the count can exceed a quota
 * by at most one list per instance per publish interval; it is a fair-use bound, not a ledger.
 */
public final class IssuanceService {
  private static final Logger log = LoggerFactory.getLogger(IssuanceService.class);

  /** What a new list should look like; null fields take the configured defaults. */
  public record ListSpec(
      Integer bits, Long size, Long ttlSeconds, Long validitySeconds, Purpose purpose) {}

  public record CreatedList(
      ListId list,
      String uri,
      int bits,
      long size,
      Duration ttl,
      Duration validity,
      Purpose purpose) {}

  /**
   * @param w3c the list's W3C form, for the {@code BitstringStatusListEntry} of each index; null
   *     when the owner's answer carried no list metadata
   * @param bits bits per entry of the list; 0 when the owner's answer carried no list metadata
   */
  public record Allocation(
      ListId list,
      String uri,
      List<Long> indexes,
      Instant expectedPublication,
      W3cForm w3c,
      int bits) {}

  private static final int MAX_CANDIDATES = 8;

  private final Commands commands;
  private final ApiMetrics metrics;
  private final TokenDirectory directory;
  private final ListUris uris;
  private final ApiSettings.Values settings;
  private final Clock clock;
  private final SecureRandom random;
  private final Map<Current, ListId> preferred = new ConcurrentHashMap<>();
  private final Map<IssuerId, Object> creationLocks = new ConcurrentHashMap<>();

  /** Lists this instance created that the directory may not show yet, with their sizes. */
  private final Map<ListId, Long> unpublished = new ConcurrentHashMap<>();

  private final FirstPublications firstPublications;

  public IssuanceService(
      Commands commands,
      ApiMetrics metrics,
      TokenDirectory directory,
      ListUris uris,
      ApiSettings.Values settings,
      Clock clock,
      SecureRandom random) {
    this.commands = commands;
    this.metrics = metrics;
    this.directory = directory;
    this.uris = uris;
    this.settings = settings;
    this.clock = clock;
    this.random = random;
    this.firstPublications = new FirstPublications(directory);
  }

  /** Creates a status list. */
  public CreatedList createList(Principal principal, ListSpec spec, CommandId commandId) {
    return createList(principal, spec, commandId, ListKind.STATUS_LIST);
  }

  /**
   * Creates a list of {@code kind} (a status list, or an ISO/IEC 18013-5 identifier list): the
   * issuer's quotas are checked, and with an Idempotency-Key the name is derived from it.
   */
  public CreatedList createList(
      Principal principal, ListSpec spec, CommandId commandId, ListKind kind) {
    CreatedList created = create(principal, spec, commandId, kind);
    awaitFirstPublication(created.list());
    return created;
  }

  /** Creates the list, answering once its owner decided (not waiting for its first token). */
  private CreatedList create(
      Principal principal, ListSpec spec, CommandId commandId, ListKind kind) {
    int bits = spec.bits() != null ? spec.bits() : settings.defaultBits();
    long size = spec.size() != null ? spec.size() : settings.defaultSize();
    Duration ttl =
        spec.ttlSeconds() != null ? seconds(spec.ttlSeconds(), "ttl") : settings.defaultTtl();
    Duration validity =
        spec.validitySeconds() != null
            ? seconds(spec.validitySeconds(), "validity")
            : settings.defaultValidity();
    Purpose purpose = spec.purpose() != null ? spec.purpose() : Purpose.REVOCATION;
    IssuerId issuer = principal.issuer();
    ListId list = new ListId(issuer, commandId.fromKey() ? nameFor(commandId) : newName());
    synchronized (creationLocks.computeIfAbsent(issuer, k -> new Object())) {
      checkQuotas(issuer, list, size);
      Outcome outcome =
          commands.submit(
              new RegistryCommand.CreateList(
                  commandId.id(),
                  list,
                  bits,
                  size,
                  ttl,
                  validity,
                  purpose,
                  IndexPermutation.Key.random(random),
                  principal.actor(),
                  clock.instant(),
                  kind));
      if (outcome.decision() instanceof Decision.Rejected r) {
        throw Problems.rejected(r.rejection());
      }
      unpublished.put(list, size);
    }
    return new CreatedList(list, uris.of(list), bits, size, ttl, validity, purpose);
  }

  /** {@code POST /issuers/{issuer}/lists/{list}/retire}: no more allocations; changes go on. */
  public Outcome retire(Principal principal, ListId list, CommandId commandId) {
    Outcome outcome =
        commands.submit(
            new RegistryCommand.RetireList(
                commandId.id(), list, principal.actor(), clock.instant()));
    if (outcome.decision() instanceof Decision.Rejected r) {
      throw Problems.rejected(r.rejection());
    }
    for (ListKind kind : ListKind.values()) {
      preferred.remove(new Current(principal.issuer(), kind), list);
    }
    return outcome;
  }

  private void checkQuotas(IssuerId issuer, ListId creating, long size) {
    ApiSettings.Quotas quotas = settings.quotas();
    if (size > quotas.maxListEntries()) {
      throw quota(
          "a list of issuer "
              + issuer
              + " holds at most "
              + quotas.maxListEntries()
              + " entries (quota.issuer.max.list.entries), asked for "
              + size);
    }
    Map<ListId, Long> sizes = new java.util.HashMap<>();
    for (ListId list : directory.lists(issuer)) {
      directory.latest(list).ifPresent(t -> sizes.put(list, t.size()));
      unpublished.remove(list);
    }
    unpublished.forEach(
        (list, entries) -> {
          if (list.issuer().equals(issuer)) {
            sizes.putIfAbsent(list, entries);
          }
        });
    if (sizes.containsKey(creating)) {
      return; // a retry of a creation already counted
    }
    if (sizes.size() + 1 > quotas.maxLists()) {
      throw quota(
          "issuer "
              + issuer
              + " may have at most "
              + quotas.maxLists()
              + " lists (quota.issuer.max.lists)");
    }
    long total = sizes.values().stream().mapToLong(Long::longValue).sum();
    if (total + size > quotas.maxEntries()) {
      throw quota(
          "the lists of issuer "
              + issuer
              + " may hold at most "
              + quotas.maxEntries()
              + " entries together (quota.issuer.max.entries); they hold "
              + total
              + ", asked for "
              + size
              + " more");
    }
  }

  private static ApiProblem quota(String detail) {
    return new ApiProblem(ProblemKind.QUOTA_EXCEEDED, detail);
  }

  /**
   * The list an issuer-level request allocated on and its owner's answer (the allocation events and
   * the list's metadata after them).
   */
  public record Placed(ListId list, Outcome outcome) {}

  /** Allocates on the named list, which must be a status list. */
  public Allocation allocate(Principal principal, ListId list, int count, CommandId commandId) {
    checkCount(count);
    Outcome outcome = allocateOn(principal, list, count, commandId.id(), ListKind.STATUS_LIST);
    return allocation(list, outcome);
  }

  /**
   * Allocates {@code count} slots on the named list of {@code kind}: the owner refuses a list of
   * the other kind before it takes a slot. An owner of the previous release does not know the kind
   * and allocates on either; its answer's metadata then shows the kind, and a list of the other
   * kind is refused here (its slots stay allocated, like any unused index, and are never handed
   * out).
   */
  public Outcome allocateOn(
      Principal principal, ListId list, int count, java.util.UUID commandId, ListKind kind) {
    Outcome outcome = decideOn(principal, list, count, commandId, kind);
    awaitFirstPublication(list);
    return outcome;
  }

  /** {@link #allocateOn}, answering once the owner decided, whether or not the list is served. */
  private Outcome decideOn(
      Principal principal, ListId list, int count, java.util.UUID commandId, ListKind kind) {
    Outcome outcome = submitAllocation(principal, list, count, commandId, kind);
    if (outcome.decision() instanceof Decision.Rejected r) {
      throw Problems.rejected(r.rejection());
    }
    checkKind(list, outcome, kind);
    return outcome;
  }

  /**
   * Allocates on some status list of the issuer with room: the one used last, then the published
   * status lists with enough indexes left; on LIST_FULL or LIST_RETIRED the next; a new list when
   * none has room.
   */
  public Allocation allocate(Principal principal, int count, CommandId commandId) {
    Placed placed = place(principal, count, commandId, ListKind.STATUS_LIST);
    return allocation(placed.list(), placed.outcome());
  }

  /**
   * Allocates {@code count} slots on some list of {@code kind} of the issuer with room: the one
   * used last, then the issuer's published lists of that kind with enough room; on LIST_FULL or
   * LIST_RETIRED the next; a new list of that kind (default shape) when none has room. With an
   * Idempotency-Key the new list's name derives from the key, so a retry reaches the same list.
   */
  public Placed place(Principal principal, int count, CommandId commandId, ListKind kind) {
    Placed placed = placeDecided(principal, count, commandId, kind);
    // outside the issuer's lock: its other allocations go on meanwhile. A list another request
    // created a moment ago is waited for too, not only one this request created.
    awaitFirstPublication(placed.list());
    return placed;
  }

  /** {@link #place}, answering once the owner decided, whether or not the list is served yet. */
  private Placed placeDecided(Principal principal, int count, CommandId commandId, ListKind kind) {
    checkCount(count);
    IssuerId issuer = principal.issuer();
    Current current = new Current(issuer, kind);
    Set<ListId> tried = new LinkedHashSet<>();
    for (ListId candidate : candidates(current, count)) {
      if (!tried.add(candidate)) {
        continue;
      }
      Optional<Placed> done = tryAllocate(principal, current, candidate, count, commandId);
      if (done.isPresent()) {
        return done.get();
      }
    }
    synchronized (creationLocks.computeIfAbsent(issuer, k -> new Object())) {
      ListId last = preferred.get(current);
      if (last != null && !tried.contains(last)) {
        Optional<Placed> done = tryAllocate(principal, current, last, count, commandId);
        if (done.isPresent()) {
          return done.get();
        }
      }
      long size =
          kind == ListKind.IDENTIFIER_LIST
              ? Math.min(settings.defaultSize(), settings.maxIdentifiers())
              : settings.defaultSize();
      CreatedList created =
          create(
              principal,
              new ListSpec(
                  kind == ListKind.IDENTIFIER_LIST ? 1 : null,
                  Math.max(size, count),
                  null,
                  null,
                  null),
              commandId.derive("create"),
              kind);
      preferred.put(current, created.list());
      Outcome outcome =
          decideOn(
              principal, created.list(), count, commandId.derive(created.list().key()).id(), kind);
      return new Placed(created.list(), outcome);
    }
  }

  /**
   * Waits (at most {@code lists.first.publication.wait.ms}) until this instance serves the list's
   * first token, so that a credential issued with the answer never names a URI that answers 404.
   * The list exists either way: past the bound the answer goes out with a warning.
   */
  private void awaitFirstPublication(ListId list) {
    if (directory.latest(list).isPresent()) {
      return; // the common case: an allocation on a list that is served
    }
    Duration bound = settings.firstPublicationWait();
    long start = System.nanoTime();
    try {
      if (!firstPublications.await(list, bound) && !bound.isZero()) {
        log.warn(
            "list {} was created but its first token was not served here within {} ms"
                + " (lists.first.publication.wait.ms); answering without it: its URI answers 404"
                + " until the list's owner publishes it (see statusreg_publish_* metrics)",
            list,
            bound.toMillis());
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt(); // the server is stopping: answer with what is decided
    }
    metrics.firstPublicationWait(Duration.ofNanos(System.nanoTime() - start));
  }

  /** The list an issuer allocated on last, per kind of list. */
  private record Current(IssuerId issuer, ListKind kind) {}

  private Optional<Placed> tryAllocate(
      Principal principal, Current current, ListId candidate, int count, CommandId commandId) {
    Outcome outcome =
        submitAllocation(
            principal, candidate, count, commandId.derive(candidate.key()).id(), current.kind());
    switch (outcome.decision()) {
      case Decision.Accepted a -> {
        checkKind(candidate, outcome, current.kind());
        boolean exhausted = outcome.meta().map(m -> m.full() || m.remaining() == 0).orElse(false);
        if (exhausted) {
          preferred.remove(current, candidate);
        } else {
          preferred.put(current, candidate);
        }
        return Optional.of(new Placed(candidate, outcome));
      }
      case Decision.Rejected r -> {
        Rejection.Kind kind = r.rejection().kind();
        if (kind == Rejection.Kind.LIST_FULL
            || kind == Rejection.Kind.LIST_RETIRED
            || kind == Rejection.Kind.LIST_NOT_FOUND) {
          preferred.remove(current, candidate);
          return Optional.empty();
        }
        throw Problems.rejected(r.rejection());
      }
    }
  }

  private List<ListId> candidates(Current current, int count) {
    List<ListId> out = new ArrayList<>();
    ListId last = preferred.get(current);
    if (last != null) {
      out.add(last);
    }
    boolean identifiers = current.kind() == ListKind.IDENTIFIER_LIST;
    for (ListId list : directory.lists(current.issuer())) {
      if (out.size() >= MAX_CANDIDATES) {
        break;
      }
      Optional<PublishedToken> token = directory.latest(list);
      if (token.isPresent()
          && token.get().isIdentifierList() == identifiers
          && capacity(token.get()) - token.get().allocated() >= count) {
        out.add(list);
      }
    }
    return out;
  }

  /** Slots a published list can ever hand out (an identifier list stops at the bound). */
  private long capacity(PublishedToken token) {
    return token.isIdentifierList()
        ? Math.min(token.size(), settings.maxIdentifiers())
        : token.size();
  }

  private static void checkKind(ListId list, Outcome outcome, ListKind kind) {
    boolean identifiers = outcome.meta().map(ListMeta::isIdentifierList).orElse(false);
    if (identifiers && kind == ListKind.STATUS_LIST) {
      throw new ApiProblem(
          ProblemKind.UNPROCESSABLE,
          "list " + list.name() + " is an identifier list: issue identifiers from it instead");
    }
    if (!identifiers && kind == ListKind.IDENTIFIER_LIST) {
      throw new ApiProblem(
          ProblemKind.UNPROCESSABLE, "list " + list.name() + " is not an identifier list");
    }
  }

  private Outcome submitAllocation(
      Principal principal, ListId list, int count, java.util.UUID commandId, ListKind kind) {
    return commands.submit(
        new RegistryCommand.AllocateIndexes(
            commandId, list, count, principal.actor(), clock.instant(), kind));
  }

  private Allocation allocation(ListId list, Outcome outcome) {
    metrics.allocated(outcome.allocatedIndexes().size());
    return new Allocation(
        list,
        uris.of(list),
        List.copyOf(outcome.allocatedIndexes()),
        outcome.expectedPublication(),
        outcome.meta().map(m -> W3cForm.of(m.purpose(), m.bits())).orElse(null),
        outcome.meta().map(ListMeta::bits).orElse(0));
  }

  /** Refuses a count of indexes (or identifiers) outside {@code [1, allocation.max.count]}. */
  public void checkCount(int count) {
    if (count < 1 || count > settings.allocationMaxCount()) {
      throw new ApiProblem(
          ProblemKind.UNPROCESSABLE,
          "count must be between 1 and " + settings.allocationMaxCount() + ", got " + count);
    }
  }

  /**
   * A positive number of seconds. How long a ttl or a validity may be is the domain's rule ({@link
   * io.statusreg.registry.fold.Decider.Limits#maxValidity}), decided by the list's owner.
   */
  private static Duration seconds(long value, String field) {
    if (value < 1) {
      throw new ApiProblem(
          ProblemKind.UNPROCESSABLE, field + " must be a positive number of seconds");
    }
    return Duration.ofSeconds(value);
  }

  /** The name of the list a key's creation makes: the same for every retry with that key. */
  private static String nameFor(CommandId commandId) {
    try {
      byte[] d =
          MessageDigest.getInstance("SHA-256")
              .digest(("list-name/" + commandId.id()).getBytes(StandardCharsets.UTF_8));
      return Base64.getUrlEncoder().withoutPadding().encodeToString(java.util.Arrays.copyOf(d, 16));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is missing", e);
    }
  }

  private String newName() {
    byte[] bytes = new byte[16];
    random.nextBytes(bytes);
    return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
  }
}

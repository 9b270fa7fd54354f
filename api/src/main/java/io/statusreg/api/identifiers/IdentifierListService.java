package io.statusreg.api.identifiers;

import io.statusreg.api.ApiSettings;
import io.statusreg.api.auth.Principal;
import io.statusreg.api.http.Commands;
import io.statusreg.api.http.IdempotencyKey.CommandId;
import io.statusreg.api.issuance.IssuanceService;
import io.statusreg.api.issuance.ListUris;
import io.statusreg.api.problems.ApiProblem;
import io.statusreg.api.problems.ProblemKind;
import io.statusreg.api.problems.Problems;
import io.statusreg.registry.ListId;
import io.statusreg.registry.Reason;
import io.statusreg.registry.events.IndexesAllocated;
import io.statusreg.registry.events.Purpose;
import io.statusreg.registry.fold.Decision;
import io.statusreg.registry.fold.ListMeta;
import io.statusreg.registry.fold.RegistryCommand;
import io.statusreg.registry.identifiers.IdentifierCipher;
import io.statusreg.registry.identifiers.ListKind;
import io.statusreg.streams.gateway.CommandGateway.Outcome;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.UUID;

/**
 * ISO/IEC 18013-5 identifier lists for issuers: create one, get fresh identifiers (to embed in the
 * MSO), revoke identifiers. The identifiers come from the list's owner, which derives them from the
 * allocation cursor under the list's secret key (see {@link IdentifierCipher}).
 */
public final class IdentifierListService {
  /** A new identifier list; null fields take the configured defaults. */
  public record Spec(Long size, Long ttlSeconds, Long validitySeconds) {}

  public record Created(ListId list, String uri, long size, Duration ttl, Duration validity) {}

  public record Issued(ListId list, String uri, List<byte[]> identifiers, Instant publication) {}

  public record Revoked(ListId list, int newlyRevoked, Instant expectedPublication) {}

  private final Commands commands;
  private final IssuanceService issuance;
  private final ListUris uris;
  private final ApiSettings.Values settings;
  private final Clock clock;

  public IdentifierListService(
      Commands commands,
      IssuanceService issuance,
      ListUris uris,
      ApiSettings.Values settings,
      Clock clock) {
    this.commands = commands;
    this.issuance = issuance;
    this.uris = uris;
    this.settings = settings;
    this.clock = clock;
  }

  /**
   * Creates an identifier list through {@link IssuanceService#createList}: the same quotas, and
   * with an Idempotency-Key the same key-derived name, so that a retry never creates a second list.
   * Without a size it holds {@code lists.default.size} identifiers, or the most one list may hold
   * ({@link io.statusreg.registry.identifiers.IdentifierListBound}) when that is fewer.
   */
  public Created create(Principal principal, Spec spec, CommandId commandId) {
    // The default size, bounded like every identifier list (the owner refuses a larger size).
    long size =
        spec.size() != null
            ? spec.size()
            : Math.min(settings.defaultSize(), settings.maxIdentifiers());
    IssuanceService.CreatedList created =
        issuance.createList(
            principal,
            new IssuanceService.ListSpec(
                1, size, spec.ttlSeconds(), spec.validitySeconds(), Purpose.REVOCATION),
            commandId,
            ListKind.IDENTIFIER_LIST);
    return new Created(
        created.list(), created.uri(), created.size(), created.ttl(), created.validity());
  }

  /**
   * Hands out {@code count} fresh identifiers of {@code list}; a status list is refused before any
   * of its indexes is taken.
   */
  public Issued issue(Principal principal, ListId list, int count, UUID commandId) {
    issuance.checkCount(count);
    Outcome outcome =
        issuance.allocateOn(principal, list, count, commandId, ListKind.IDENTIFIER_LIST);
    return issued(list, outcome);
  }

  /**
   * Hands out {@code count} fresh identifiers from the issuer's current identifier list, creating a
   * new one (default size, at most the bound) when none has room; with an Idempotency-Key a retry
   * gets the same identifiers (see {@link IssuanceService#place}).
   */
  public Issued issue(Principal principal, int count, CommandId commandId) {
    IssuanceService.Placed placed =
        issuance.place(principal, count, commandId, ListKind.IDENTIFIER_LIST);
    return issued(placed.list(), placed.outcome());
  }

  /** The identifiers of the slots the owner's answer allocated. */
  private Issued issued(ListId list, Outcome outcome) {
    ListMeta meta = outcome.meta().orElseThrow(() -> notIdentifierList(list));
    IdentifierCipher.Batch cipher = meta.identifiers().batch();
    List<byte[]> ids = new ArrayList<>();
    for (var event : ((Decision.Accepted) outcome.decision()).events()) {
      if (event instanceof IndexesAllocated a) {
        for (long slot = a.fromCursor(); slot < a.fromCursor() + a.count(); slot++) {
          ids.add(cipher.identifier(slot));
        }
      }
    }
    return new Issued(list, uris.of(list), ids, outcome.expectedPublication());
  }

  /** Revokes identifiers (base64url, 16 bytes each), all or none. */
  public Revoked revoke(
      Principal principal, ListId list, List<String> identifiers, Reason reason, UUID commandId) {
    if (identifiers.isEmpty() || identifiers.size() > settings.bulkMaxChanges()) {
      throw new ApiProblem(
          ProblemKind.UNPROCESSABLE,
          "identifiers must hold between 1 and " + settings.bulkMaxChanges() + " identifiers");
    }
    List<byte[]> ids = new ArrayList<>(identifiers.size());
    for (int i = 0; i < identifiers.size(); i++) {
      ids.add(decode(identifiers.get(i), i));
    }
    Outcome outcome =
        commands.submit(
            new RegistryCommand.RevokeIdentifiers(
                commandId, list, ids, reason, principal.actor(), clock.instant()));
    if (outcome.decision() instanceof Decision.Rejected r) {
      throw Problems.rejected(r.rejection());
    }
    int events = ((Decision.Accepted) outcome.decision()).events().size();
    return new Revoked(list, events, outcome.expectedPublication());
  }

  /** Unpadded base64url of exactly 16 bytes; anything else is refused before it travels. */
  static byte[] decode(String raw, int position) {
    if (raw.length() != 22) {
      throw new ApiProblem(
          ProblemKind.UNPROCESSABLE,
          "identifiers[" + position + "] must be 16 bytes in unpadded base64url (22 characters)");
    }
    for (int i = 0; i < raw.length(); i++) {
      char c = raw.charAt(i);
      boolean ok =
          (c >= 'A' && c <= 'Z')
              || (c >= 'a' && c <= 'z')
              || (c >= '0' && c <= '9')
              || c == '-'
              || c == '_';
      if (!ok) {
        throw new ApiProblem(
            ProblemKind.UNPROCESSABLE, "identifiers[" + position + "] is not base64url");
      }
    }
    byte[] bytes = Base64.getUrlDecoder().decode(raw);
    if (!Base64.getUrlEncoder().withoutPadding().encodeToString(bytes).equals(raw)) {
      throw new ApiProblem(
          ProblemKind.UNPROCESSABLE, "identifiers[" + position + "] is not canonical base64url");
    }
    return bytes;
  }

  private static ApiProblem notIdentifierList(ListId list) {
    return new ApiProblem(
        ProblemKind.UNPROCESSABLE, "list " + list.name() + " is not an identifier list");
  }
}

package io.statusreg.registry.fold;

/** Why {@link Decider#decide} refused a command; the kind maps to an HTTP status in the API. */
public record Rejection(Kind kind, String message) {
  public enum Kind {
    /** The list does not exist (404). */
    LIST_NOT_FOUND,
    /** A list with that id already exists (409). */
    LIST_EXISTS,
    /** The rules refuse the change, e.g. revoked stays revoked (409). */
    CONFLICT,
    /** Index out of range or never allocated, status too wide for the list (422). */
    UNPROCESSABLE,
    /** No indexes left to allocate (409; the issuer needs another list). */
    LIST_FULL,
    /** The list is retired and takes no allocations (409). */
    LIST_RETIRED,
    /**
     * The command's id (its idempotency key) was used before for a different request; nothing was
     * applied (422).
     */
    KEY_REUSED
  }
}

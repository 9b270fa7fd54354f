package io.statusreg.api.auth;

import io.statusreg.registry.Actor;
import io.statusreg.registry.IssuerId;
import java.util.Set;

/** Who an authenticated issuer request acts as: the issuer, its scopes, and the audit actor. */
public record Principal(IssuerId issuer, Set<Scope> scopes, Actor actor) {
  public Principal {
    scopes = Set.copyOf(scopes);
  }
}

package io.statusreg.registry.tokens;

import io.statusreg.registry.config.Setting;
import java.util.List;

/** Settings of what the published tokens say beyond the list itself. */
public final class TokenSettings {
  private TokenSettings() {}

  public static final Setting<Boolean> AGGREGATION_ENABLED =
      Setting.bool(
          "aggregation.enabled",
          false,
          "whether JWT and CWT tokens carry status_list.aggregation_uri and identifier lists"
              + " carry aggregation_uri in claim 65530 (the issuer's"
              + " <public.base.url>/statuslists/<issuer>) and issuer metadata names it as"
              + " status_list_aggregation_endpoint");

  /** Every setting, in documentation order. */
  public static List<Setting<?>> all() {
    return List.of(AGGREGATION_ENABLED);
  }
}

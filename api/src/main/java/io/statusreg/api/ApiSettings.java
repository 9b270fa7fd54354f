package io.statusreg.api;

import io.statusreg.registry.config.Setting;
import io.statusreg.registry.config.Settings;
import io.statusreg.registry.fold.Decider;
import io.statusreg.streams.StreamsSettings;
import java.time.Duration;
import java.util.List;

/**
 * Every setting of the HTTP server: one name, one default, one doc line and one validator. The
 * public base URL of list URIs is the streams module's {@code public.base.url}, shared so that the
 * URI in a token and the one handed to issuers can never differ; likewise an issuer request waits
 * for its reply as long as the gateway does ({@code command.timeout.ms}), one timeout for one wait.
 * Limits that the domain also enforces take their upper bound from {@link Decider.Limits}.
 */
public final class ApiSettings {
  private ApiSettings() {}

  public static final Setting<String> HTTP_HOST =
      Setting.string("http.host", "0.0.0.0", "address the HTTP server binds to");
  public static final Setting<Integer> HTTP_PORT =
      Setting.integer("http.port", 8080, 0, 65535, "HTTP port (0 picks a free one)");
  public static final Setting<Long> HTTP_MAX_BODY_BYTES =
      Setting.longValue(
          "http.max.body.bytes",
          1_048_576,
          1_024,
          64L << 20,
          "largest request body accepted (413)");
  public static final Setting<Duration> HTTP_IDLE_TIMEOUT =
      Setting.millis(
          "http.idle.timeout.ms", 30_000, 1_000, 600_000, "idle timeout of HTTP connections");
  public static final Setting<Duration> HTTP_HEADER_TIMEOUT =
      Setting.millis(
          "http.header.timeout.ms",
          10_000,
          100,
          600_000,
          "most time a client may take to send a request's line and headers (closed after it)");
  public static final Setting<Duration> HTTP_BODY_TIMEOUT =
      Setting.millis(
          "http.body.timeout.ms",
          30_000,
          100,
          600_000,
          "most time a client may take to send a request's body once its headers are in (closed"
              + " after it)");
  public static final Setting<Duration> HTTP_DRAIN_TIMEOUT =
      Setting.millis(
          "http.drain.timeout.ms",
          15_000,
          0,
          600_000,
          "on SIGTERM, most time the server waits for requests in flight (an issuer's change"
              + " waiting for its reply) before the node closes; new connections are refused"
              + " meanwhile");
  public static final Setting<Integer> HTTP_MAX_CONNECTIONS =
      Setting.integer(
          "http.max.connections",
          2_048,
          1,
          1_000_000,
          "most open HTTP connections; beyond it new ones wait in the accept backlog");
  public static final Setting<Long> HTTP_HISTORY_CACHE_BYTES =
      Setting.longValue(
          "http.history.cache.bytes",
          32L << 20,
          0,
          4L << 30,
          "budget of past publications kept prepared for ?time= lookups (least recently used out)");
  public static final Setting<Integer> ALLOCATION_MAX_COUNT =
      Setting.integer(
          "allocation.max.count",
          1_000,
          1,
          Decider.Limits.DEFAULT.maxAllocation(),
          "most indexes one allocation request may ask");
  public static final Setting<Integer> BULK_MAX_CHANGES =
      Setting.integer(
          "bulk.max.changes",
          1_000,
          1,
          Decider.Limits.DEFAULT.maxChanges(),
          "most status changes in one bulk request");
  public static final Setting<Integer> LISTS_DEFAULT_BITS =
      Setting.integer("lists.default.bits", 1, 1, 8, "bits per entry of a new list by default");
  public static final Setting<Long> LISTS_DEFAULT_SIZE =
      Setting.longValue(
          "lists.default.size",
          1_048_576,
          1,
          Decider.Limits.DEFAULT.maxSize(),
          "entries of a new list by default");
  public static final Setting<Long> LISTS_DEFAULT_TTL_SECONDS =
      Setting.longValue(
          "lists.default.ttl.seconds", 300, 1, 86_400, "token ttl of a new list by default");
  public static final Setting<Long> LISTS_DEFAULT_VALIDITY_SECONDS =
      Setting.longValue(
          "lists.default.validity.seconds",
          86_400,
          1,
          Decider.Limits.DEFAULT.maxValidity().toSeconds(),
          "token validity (exp - iat) of a new list by default");
  public static final Setting<Duration> LISTS_FIRST_PUBLICATION_WAIT =
      Setting.millis(
          "lists.first.publication.wait.ms",
          5_000,
          0,
          60_000,
          "most time the creation of a list (and an allocation that opens one) waits for the"
              + " list's first token to be served before it answers, so that the status URI of a"
              + " credential issued at once resolves (0: answer at once)");
  public static final Setting<Integer> QUOTA_MAX_LISTS =
      Setting.integer(
          "quota.issuer.max.lists", 1_000, 1, 1_000_000, "most lists one issuer may have");
  public static final Setting<Long> QUOTA_MAX_ENTRIES =
      Setting.longValue(
          "quota.issuer.max.entries",
          10_000_000_000L,
          1,
          1L << 50,
          "most entries all lists of one issuer may hold together");
  public static final Setting<Long> QUOTA_MAX_LIST_ENTRIES =
      Setting.longValue(
          "quota.issuer.max.list.entries",
          Decider.Limits.DEFAULT.maxSize(),
          1,
          Decider.Limits.DEFAULT.maxSize(),
          "most entries of one list of an issuer");
  public static final Setting<String> AUTH_JWKS_FILE =
      Setting.string(
          "issuer.auth.jwks.file", "", "JWKS file with the keys that sign issuer bearer tokens");
  public static final Setting<String> AUTH_JWKS_URL =
      Setting.string(
          "issuer.auth.jwks.url", "", "JWKS URL with the keys that sign issuer bearer tokens");
  public static final Setting<String> AUTH_ISSUER =
      Setting.string("issuer.auth.issuer", null, "required iss of issuer bearer tokens");
  public static final Setting<String> AUTH_AUDIENCE =
      Setting.string("issuer.auth.audience", null, "required aud of issuer bearer tokens");
  public static final Setting<String> AUTH_ISSUER_CLAIM =
      Setting.string(
          "issuer.auth.issuer.claim",
          "issuer_id",
          "claim of the bearer token that names the issuer it acts for");
  public static final Setting<String> AUTH_ALGORITHMS =
      Setting.string(
          "issuer.auth.algorithms",
          "ES256,ES384,PS256,RS256",
          "JWS algorithms accepted on issuer bearer tokens (comma separated)");
  public static final Setting<Long> AUTH_CLOCK_SKEW_SECONDS =
      Setting.longValue(
          "issuer.auth.clock.skew.seconds", 30, 0, 300, "tolerated clock skew on exp, nbf and iat");
  public static final Setting<Long> AUTH_MAX_TOKEN_LIFETIME_SECONDS =
      Setting.longValue(
          "issuer.auth.max.token.lifetime.seconds",
          86_400,
          60,
          31L * 86_400,
          "longest accepted lifetime of an issuer bearer token (exp - iat, or exp - now without"
              + " iat)");

  public static final List<Setting<?>> ALL =
      List.of(
          HTTP_HOST,
          HTTP_PORT,
          HTTP_MAX_BODY_BYTES,
          HTTP_IDLE_TIMEOUT,
          HTTP_HEADER_TIMEOUT,
          HTTP_BODY_TIMEOUT,
          HTTP_DRAIN_TIMEOUT,
          HTTP_MAX_CONNECTIONS,
          HTTP_HISTORY_CACHE_BYTES,
          ALLOCATION_MAX_COUNT,
          BULK_MAX_CHANGES,
          LISTS_DEFAULT_BITS,
          LISTS_DEFAULT_SIZE,
          LISTS_DEFAULT_TTL_SECONDS,
          LISTS_DEFAULT_VALIDITY_SECONDS,
          LISTS_FIRST_PUBLICATION_WAIT,
          QUOTA_MAX_LISTS,
          QUOTA_MAX_ENTRIES,
          QUOTA_MAX_LIST_ENTRIES,
          AUTH_JWKS_FILE,
          AUTH_JWKS_URL,
          AUTH_ISSUER,
          AUTH_AUDIENCE,
          AUTH_ISSUER_CLAIM,
          AUTH_ALGORITHMS,
          AUTH_CLOCK_SKEW_SECONDS,
          AUTH_MAX_TOKEN_LIFETIME_SECONDS);

  /** The server's settings, read and validated at once so that start-up fails fast. */
  public record Values(
      String host,
      int port,
      String publicBaseUrl,
      long maxBodyBytes,
      Duration idleTimeout,
      Duration headerTimeout,
      Duration bodyTimeout,
      Duration drainTimeout,
      int maxConnections,
      long historyCacheBytes,
      Duration commandTimeout,
      int allocationMaxCount,
      int bulkMaxChanges,
      int defaultBits,
      long defaultSize,
      Duration defaultTtl,
      Duration defaultValidity,
      Duration firstPublicationWait,
      boolean aggregation,
      Quotas quotas,
      long maxIdentifiers) {

    public static Values read(Settings settings) {
      return new Values(
          settings.get(HTTP_HOST),
          settings.get(HTTP_PORT),
          settings.get(StreamsSettings.PUBLIC_BASE_URL),
          settings.get(HTTP_MAX_BODY_BYTES),
          settings.get(HTTP_IDLE_TIMEOUT),
          settings.get(HTTP_HEADER_TIMEOUT),
          settings.get(HTTP_BODY_TIMEOUT),
          settings.get(HTTP_DRAIN_TIMEOUT),
          settings.get(HTTP_MAX_CONNECTIONS),
          settings.get(HTTP_HISTORY_CACHE_BYTES),
          settings.get(StreamsSettings.COMMAND_TIMEOUT),
          settings.get(ALLOCATION_MAX_COUNT),
          settings.get(BULK_MAX_CHANGES),
          settings.get(LISTS_DEFAULT_BITS),
          settings.get(LISTS_DEFAULT_SIZE),
          Duration.ofSeconds(settings.get(LISTS_DEFAULT_TTL_SECONDS)),
          Duration.ofSeconds(settings.get(LISTS_DEFAULT_VALIDITY_SECONDS)),
          settings.get(LISTS_FIRST_PUBLICATION_WAIT),
          settings.get(io.statusreg.registry.tokens.TokenSettings.AGGREGATION_ENABLED),
          new Quotas(
              settings.get(QUOTA_MAX_LISTS),
              settings.get(QUOTA_MAX_ENTRIES),
              settings.get(QUOTA_MAX_LIST_ENTRIES)),
          io.statusreg.registry.identifiers.IdentifierListBound.maxIdentifiers(
              settings.get(StreamsSettings.RECORD_MAX_BYTES)));
    }
  }

  /** What one issuer may create: lists, entries of all its lists, entries of one list. */
  public record Quotas(int maxLists, long maxEntries, long maxListEntries) {}
}

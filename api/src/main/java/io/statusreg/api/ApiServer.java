package io.statusreg.api;

import static io.javalin.apibuilder.ApiBuilder.get;
import static io.javalin.apibuilder.ApiBuilder.post;
import static io.javalin.apibuilder.ApiBuilder.put;

import io.javalin.Javalin;
import io.javalin.compression.CompressionStrategy;
import io.javalin.config.JavalinConfig;
import io.javalin.http.Context;
import io.statusreg.api.auth.IssuerAuthenticator;
import io.statusreg.api.auth.Principal;
import io.statusreg.api.auth.RefusalAudit;
import io.statusreg.api.auth.Scope;
import io.statusreg.api.health.HealthHandlers;
import io.statusreg.api.http.Commands;
import io.statusreg.api.issuance.IssuanceHandlers;
import io.statusreg.api.issuance.IssuanceService;
import io.statusreg.api.issuance.ListUris;
import io.statusreg.api.metrics.ApiMetrics;
import io.statusreg.api.problems.ApiProblem;
import io.statusreg.api.problems.ProblemKind;
import io.statusreg.api.problems.Problems;
import io.statusreg.api.revocation.RevocationHandlers;
import io.statusreg.api.revocation.RevocationService;
import io.statusreg.api.verifier.FastTokenHandler;
import io.statusreg.api.verifier.PublicKeys;
import io.statusreg.api.verifier.TokenCache;
import io.statusreg.api.verifier.VerifierHandlers;
import io.statusreg.streams.TokenDirectory;
import io.statusreg.streams.gateway.CommandGateway;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.security.SecureRandom;
import java.time.Clock;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.function.BooleanSupplier;
import org.eclipse.jetty.server.HttpConnectionFactory;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.util.thread.QueuedThreadPool;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The HTTP server: every route is declared in {@link #routes()}, every error leaves through {@link
 * Problems}. Runs on Javalin 7 / Jetty 12 with virtual threads, so issuer requests may wait for
 * durability without holding a platform thread.
 */
public final class ApiServer implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(ApiServer.class);

  /** What the server needs from the rest of the process. */
  public record Dependencies(
      CommandGateway gateway,
      TokenDirectory directory,
      PublicKeys publicKeys,
      IssuerAuthenticator authenticator,
      ApiMetrics metrics,
      Clock clock,
      BooleanSupplier ready,
      BooleanSupplier alive) {

    /** Ready while the token directory has caught up; alive always (for tests and fakes). */
    public Dependencies(
        CommandGateway gateway,
        TokenDirectory directory,
        PublicKeys publicKeys,
        IssuerAuthenticator authenticator,
        ApiMetrics metrics,
        Clock clock) {
      this(
          gateway,
          directory,
          publicKeys,
          authenticator,
          metrics,
          clock,
          directory::isCaughtUp,
          () -> true);
    }
  }

  /** One declared route (method and path template), as published in the OpenAPI document. */
  public record Route(String method, String path) {}

  /** Every route of the API, in one place. */
  public static final List<Route> ROUTES =
      List.of(
          new Route("GET", "/statuslists/{issuer}/{list}"),
          new Route("GET", "/statuslists/{issuer}"),
          new Route("GET", "/.well-known/jwks.json"),
          new Route("POST", "/issuers/{issuer}/lists"),
          new Route("POST", "/issuers/{issuer}/allocations"),
          new Route("POST", "/issuers/{issuer}/lists/{list}/allocations"),
          new Route("PUT", "/issuers/{issuer}/lists/{list}/entries/{idx}"),
          new Route("GET", "/issuers/{issuer}/lists/{list}/entries/{idx}"),
          new Route("POST", "/issuers/{issuer}/lists/{list}/entries"),
          new Route("POST", "/issuers/{issuer}/lists/{list}/retire"),
          new Route("GET", "/health/live"),
          new Route("GET", "/health/ready"),
          new Route("GET", "/metrics"),
          new Route("GET", "/openapi.json"));

  private final ApiSettings.Values settings;
  private final Dependencies deps;
  private final TokenCache cache;
  private final ExecutorService virtualThreads;
  private final FastTokenHandler fastTokens;
  private final VerifierHandlers verifier;
  private final IssuanceHandlers issuance;
  private final RevocationHandlers revocation;
  private final HealthHandlers health;
  private final byte[] openApi;
  private final Javalin app;

  public ApiServer(ApiSettings.Values settings, Dependencies deps) {
    this.settings = settings;
    this.deps = deps;
    this.cache = new TokenCache(deps.directory());
    deps.directory()
        .onPublished(
            token -> {
              cache.accept(token);
              deps.metrics().published(token);
            });
    deps.metrics().bindTokenCache(cache);
    deps.metrics().bindReadiness(deps.ready());
    Commands commands = new Commands(deps.gateway(), settings.commandTimeout());
    this.virtualThreads =
        Executors.newThreadPerTaskExecutor(Thread.ofVirtual().name("http-virtual-", 0).factory());
    this.fastTokens =
        new FastTokenHandler(cache, deps.clock(), deps.metrics().registry(), virtualThreads);
    this.verifier = new VerifierHandlers(cache, deps.directory(), deps.publicKeys(), deps.clock());
    this.issuance =
        new IssuanceHandlers(
            new IssuanceService(
                commands,
                deps.metrics(),
                deps.directory(),
                new ListUris(settings.publicBaseUrl()),
                settings,
                deps.clock(),
                new SecureRandom()),
            settings.maxBodyBytes());
    this.revocation =
        new RevocationHandlers(
            new RevocationService(commands, deps.metrics(), deps.clock()),
            settings.maxBodyBytes(),
            settings.bulkMaxChanges());
    this.health = new HealthHandlers(deps.ready(), deps.alive());
    this.openApi = resource("openapi.json");
    this.app = Javalin.create(this::configure);
  }

  private void configure(JavalinConfig config) {
    config.startup.showJavalinBanner = false;
    config.startup.showOldJavalinVersionWarning = false;
    config.concurrency.useVirtualThreads = true;
    config.jetty.threadPool = threadPool();
    config.http.generateEtags = false;
    config.http.compressionStrategy = CompressionStrategy.NONE;
    config.http.maxRequestSize = settings.maxBodyBytes();
    config.http.defaultContentType = "application/json";
    config.jetty.modifyHttpConfiguration(
        http -> {
          http.setSendServerVersion(false);
          http.setSendXPoweredBy(false);
        });
    // The verifier hot path runs as the server's outermost Jetty handler, ahead of the statistics
    // handler and Javalin's servlet context (Javalin attaches its context to the innermost
    // wrapper); it answers token fetches on the selector thread and hands the rest to virtual
    // threads.
    config.jetty.modifyServer(server -> server.insertHandler(fastTokens));
    config.jetty.addConnector(
        (server, http) -> {
          // One selector per core: Jetty's default (cores / 2) leaves one of two cores idle, since
          // token fetches are answered on the selector threads.
          ServerConnector connector =
              new ServerConnector(
                  server,
                  1,
                  Runtime.getRuntime().availableProcessors(),
                  new HttpConnectionFactory(http));
          connector.setHost(settings.host());
          connector.setPort(settings.port());
          connector.setIdleTimeout(settings.idleTimeout().toMillis());
          return connector;
        });
    config.requestLogger.http(
        (ctx, millis) ->
            deps.metrics()
                .request(routeOf(ctx), ctx.method().toString(), ctx.statusCode(), millis));
    config.routes.exception(Exception.class, Problems::handle);
    config.routes.error(
        404,
        ctx -> {
          if (!Problems.isProblem(ctx)) {
            Problems.write(ctx, ProblemKind.NOT_FOUND, "no such resource", Map.of());
          }
        });
    config.routes.error(
        405,
        ctx -> {
          if (!Problems.isProblem(ctx)) {
            Problems.write(ctx, ProblemKind.METHOD_NOT_ALLOWED, null, Map.of());
          }
        });
    config.routes.options("/statuslists/{issuer}/{list}", verifier::preflight);
    config.routes.options("/statuslists/{issuer}", verifier::preflight);
    config.routes.options("/.well-known/jwks.json", verifier::preflight);
    config.routes.head("/statuslists/{issuer}/{list}", verifier::token);
    config.routes.apiBuilder(this::routes);
  }

  /**
   * Platform threads for Jetty's acceptor, selectors and the non-blocking token path; handlers that
   * may block run on virtual threads (see {@link FastTokenHandler}). An all-virtual pool (Javalin's
   * default) ran the selectors themselves on virtual threads and dispatched every request.
   */
  private QueuedThreadPool threadPool() {
    int cores = Runtime.getRuntime().availableProcessors();
    QueuedThreadPool pool = new QueuedThreadPool(Math.max(16, 4 * cores), Math.min(8, 2 + cores));
    pool.setName("http");
    pool.setVirtualThreadsExecutor(virtualThreads);
    return pool;
  }

  /** Every route of the API. Keep in step with {@link #ROUTES} and openapi.json. */
  private void routes() {
    // Verifiers: public.
    get("/statuslists/{issuer}/{list}", verifier::token);
    get("/statuslists/{issuer}", verifier::issuerLists);
    get("/.well-known/jwks.json", verifier::jwks);
    // Issuers: bearer token for the issuer in the path, with a scope per action.
    post("/issuers/{issuer}/lists", secured(Scope.LISTS_ADMIN, issuance::createList));
    post("/issuers/{issuer}/allocations", secured(Scope.STATUS_WRITE, issuance::allocateAny));
    post(
        "/issuers/{issuer}/lists/{list}/allocations",
        secured(Scope.STATUS_WRITE, issuance::allocateOnList));
    put(
        "/issuers/{issuer}/lists/{list}/entries/{idx}",
        secured(Scope.STATUS_WRITE, revocation::put));
    get(
        "/issuers/{issuer}/lists/{list}/entries/{idx}",
        secured(Scope.STATUS_READ, revocation::get));
    post("/issuers/{issuer}/lists/{list}/entries", secured(Scope.STATUS_WRITE, revocation::bulk));
    post("/issuers/{issuer}/lists/{list}/retire", secured(Scope.LISTS_ADMIN, issuance::retire));
    // Operations.
    get("/health/live", health::live);
    get("/health/ready", health::ready);
    get("/metrics", this::metrics);
    get("/openapi.json", this::openApi);
  }

  /** A handler that runs only for a token of the path's issuer carrying {@code scope}. */
  @FunctionalInterface
  interface IssuerHandler {
    void handle(Context ctx, Principal principal) throws Exception;
  }

  private io.javalin.http.Handler secured(Scope scope, IssuerHandler handler) {
    // Every route but reading an entry writes: its refusals are audited.
    boolean write = scope != Scope.STATUS_READ;
    return ctx -> handler.handle(ctx, authorize(ctx, scope, write));
  }

  private Principal authorize(Context ctx, Scope scope, boolean write) {
    String issuer = ctx.pathParam("issuer");
    Principal principal;
    try {
      principal = deps.authenticator().authenticate(ctx.header("Authorization"));
    } catch (ApiProblem p) {
      if (write) {
        RefusalAudit.refused(
            null, issuer, ctx.method().toString(), routeOf(ctx), RefusalAudit.Outcome.UNAUTHORISED);
      }
      throw p;
    }
    try {
      deps.authenticator().permit(principal, issuer, scope);
    } catch (ApiProblem p) {
      if (write) {
        RefusalAudit.refused(
            principal.actor(),
            issuer,
            ctx.method().toString(),
            routeOf(ctx),
            RefusalAudit.Outcome.FORBIDDEN);
      }
      throw p;
    }
    return principal;
  }

  private void metrics(Context ctx) {
    ctx.status(200);
    ctx.contentType("text/plain; version=0.0.4; charset=utf-8");
    ctx.result(deps.metrics().scrape());
  }

  private void openApi(Context ctx) {
    ctx.status(200);
    ctx.contentType("application/json");
    ctx.header("Access-Control-Allow-Origin", "*");
    ctx.result(openApi);
  }

  private static String routeOf(Context ctx) {
    try {
      return ctx.endpoint().path;
    } catch (RuntimeException e) {
      return "unmatched";
    }
  }

  private static byte[] resource(String name) {
    try (InputStream in = ApiServer.class.getResourceAsStream(name)) {
      if (in == null) {
        throw new IllegalStateException("missing resource " + name);
      }
      return in.readAllBytes();
    } catch (IOException e) {
      throw new UncheckedIOException("reading " + name, e);
    }
  }

  public ApiServer start() {
    app.start();
    log.info("statusreg API listening on {}:{}", settings.host(), port());
    return this;
  }

  public int port() {
    return app.port();
  }

  public TokenCache cache() {
    return cache;
  }

  /** Token requests answered by the Jetty fast path. */
  public long fastPathServed() {
    return fastTokens.served();
  }

  @Override
  public void close() {
    app.stop();
    virtualThreads.shutdown();
  }
}

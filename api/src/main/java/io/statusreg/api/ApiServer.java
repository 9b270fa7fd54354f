package io.statusreg.api;

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
import io.statusreg.api.http.ReadDeadlines;
import io.statusreg.api.http.RequestIds;
import io.statusreg.api.http.Route;
import io.statusreg.api.identifiers.IdentifierListHandlers;
import io.statusreg.api.identifiers.IdentifierListService;
import io.statusreg.api.issuance.IssuanceHandlers;
import io.statusreg.api.issuance.IssuanceService;
import io.statusreg.api.issuance.ListUris;
import io.statusreg.api.metadata.IssuerDocumentHandler;
import io.statusreg.api.metadata.IssuerMetadataHandler;
import io.statusreg.api.metrics.ApiMetrics;
import io.statusreg.api.problems.ApiProblem;
import io.statusreg.api.problems.ProblemErrorHandler;
import io.statusreg.api.problems.ProblemKind;
import io.statusreg.api.problems.Problems;
import io.statusreg.api.revocation.RevocationHandlers;
import io.statusreg.api.revocation.RevocationService;
import io.statusreg.api.verifier.PublicKeys;
import io.statusreg.api.verifier.TokenCache;
import io.statusreg.api.verifier.TokenHandler;
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
import org.eclipse.jetty.server.NetworkConnectionLimit;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.server.handler.GracefulHandler;
import org.eclipse.jetty.util.thread.QueuedThreadPool;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The HTTP server: every route is declared once, in {@link Route}, and bound to its handler in
 * {@link #handler(Route)}; every error leaves through {@link Problems} (Jetty's own refusals
 * through {@link ProblemErrorHandler}). Runs on Javalin 7 / Jetty 12 with virtual threads, so
 * issuer requests may wait for durability without holding a platform thread.
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

  /** Every route of the API, as declared in {@link Route} and published in the OpenAPI document. */
  public static final List<Route> ROUTES = List.of(Route.values());

  private final ApiSettings.Values settings;
  private final Dependencies deps;
  private final TokenCache cache;
  private final ExecutorService virtualThreads;
  private final TokenHandler tokens;
  private final VerifierHandlers verifier;
  private final IssuerMetadataHandler issuerMetadata;
  private final IssuerDocumentHandler issuerDocument;
  private final IssuanceHandlers issuance;
  private final RevocationHandlers revocation;
  private final IdentifierListHandlers identifierLists;
  private final HealthHandlers health;
  private final byte[] openApi;
  private final Javalin app;

  public ApiServer(ApiSettings.Values settings, Dependencies deps) {
    this.settings = settings;
    this.deps = deps;
    this.cache = new TokenCache(deps.directory(), settings.historyCacheBytes());
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
    this.tokens = new TokenHandler(cache, deps.clock(), deps.metrics(), virtualThreads);
    this.verifier = new VerifierHandlers(cache, deps.directory(), deps.publicKeys());
    this.issuerMetadata =
        new IssuerMetadataHandler(
            settings.publicBaseUrl(), settings.aggregation(), deps.publicKeys());
    this.issuerDocument = new IssuerDocumentHandler(settings.publicBaseUrl(), deps.publicKeys());
    ListUris uris = new ListUris(settings.publicBaseUrl());
    IssuanceService issuanceService =
        new IssuanceService(
            commands,
            deps.metrics(),
            deps.directory(),
            uris,
            settings,
            deps.clock(),
            new SecureRandom());
    this.issuance =
        new IssuanceHandlers(issuanceService, deps.publicKeys(), settings.maxBodyBytes());
    this.revocation =
        new RevocationHandlers(
            new RevocationService(commands, deps.metrics(), deps.clock()),
            settings.maxBodyBytes(),
            settings.bulkMaxChanges());
    this.identifierLists =
        new IdentifierListHandlers(
            new IdentifierListService(commands, issuanceService, uris, settings, deps.clock()),
            deps.publicKeys(),
            settings.maxBodyBytes());
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
    // The token route runs as the server's outermost Jetty handler, ahead of the statistics
    // handler and Javalin's servlet context (Javalin attaches its context to the innermost
    // wrapper); it answers cached token fetches on the selector thread and hands the rest to
    // virtual threads. Jetty's own refusals (unparseable requests) leave as problem documents.
    config.jetty.modifyServer(
        server -> {
          server.insertHandler(tokens);
          // Outermost: on stop (SIGTERM) the connector refuses new connections while the requests
          // in flight finish, for up to http.drain.timeout.ms; only then does the process close
          // the command gateway and Streams (RegistryProcess.close), so an issuer's change that
          // was being decided is answered, not cut off with a 503.
          server.insertHandler(new GracefulHandler());
          server.setStopTimeout(settings.drainTimeout().toMillis());
          server.setErrorHandler(new ProblemErrorHandler());
        });
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
          connector.addEventListener(
              new ReadDeadlines(
                  settings.headerTimeout(), settings.bodyTimeout(), deps.metrics().registry()));
          server.addBean(new NetworkConnectionLimit(settings.maxConnections(), connector));
          return connector;
        });
    config.requestLogger.http(
        (ctx, millis) ->
            deps.metrics().request(routeOf(ctx), ctx.req().getMethod(), ctx.statusCode(), millis));
    config.routes.exception(Exception.class, RequestIds.around(Problems::handle));
    config.routes.error(
        404,
        ctx -> {
          if (Problems.isProblem(ctx)) {
            return;
          }
          if (Route.OTHER_METHOD.equals(Route.methodLabel(ctx.req().getMethod()))) {
            // RFC 9110 15.6.2: a method the server does not recognise at all is 501
            Problems.write(ctx, ProblemKind.NOT_IMPLEMENTED, null, Map.of());
          } else {
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
    for (Route route : Route.values()) {
      io.javalin.http.Handler handler = handler(route);
      if (handler == null) {
        continue; // answered ahead of Javalin
      }
      io.javalin.http.Handler bound =
          RequestIds.around(route.scope() == null ? handler : secured(route, handler));
      switch (route.method()) {
        case "GET" -> config.routes.get(route.path(), bound);
        case "HEAD" -> config.routes.head(route.path(), bound);
        case "POST" -> config.routes.post(route.path(), bound);
        case "PUT" -> config.routes.put(route.path(), bound);
        case "OPTIONS" -> config.routes.options(route.path(), bound);
        default -> throw new IllegalStateException("no binding for method of " + route);
      }
    }
  }

  /**
   * The handler of every route (the switch is exhaustive: a declared route without a handler does
   * not compile); null for the token routes, answered by {@link TokenHandler} ahead of Javalin.
   */
  private io.javalin.http.Handler handler(Route route) {
    return switch (route) {
      case TOKEN, TOKEN_HEAD -> null;
      case TOKEN_PREFLIGHT, ISSUER_LISTS_PREFLIGHT, JWKS_PREFLIGHT -> verifier::preflight;
      case ISSUER_LISTS -> verifier::issuerLists;
      case JWKS -> verifier::jwks;
      case ISSUER_METADATA -> issuerMetadata::handle;
      case ISSUER_METADATA_PREFLIGHT, ISSUER_DOCUMENT_PREFLIGHT -> verifier::preflight;
      case ISSUER_DOCUMENT -> issuerDocument::handle;
      case CREATE_LIST -> issuer(issuance::createList);
      case ALLOCATE_ANY -> issuer(issuance::allocateAny);
      case ALLOCATE_ON_LIST -> issuer(issuance::allocateOnList);
      case PUT_ENTRY -> issuer(revocation::put);
      case GET_ENTRY -> issuer(revocation::get);
      case BULK_CHANGE -> issuer(revocation::bulk);
      case RETIRE_LIST -> issuer(issuance::retire);
      case CREATE_IDENTIFIER_LIST -> issuer(identifierLists::create);
      case ISSUE_IDENTIFIERS -> issuer(identifierLists::issue);
      case ISSUE_ANY_IDENTIFIERS -> issuer(identifierLists::issueAny);
      case REVOKE_IDENTIFIERS -> issuer(identifierLists::revoke);
      case HEALTH_LIVE -> health::live;
      case HEALTH_READY -> health::ready;
      case METRICS -> this::metrics;
      case OPENAPI -> this::openApi;
    };
  }

  /**
   * Platform threads for Jetty's acceptor, selectors and the non-blocking token path; handlers that
   * may block run on virtual threads (see {@link TokenHandler}). An all-virtual pool (Javalin's
   * default) ran the selectors themselves on virtual threads and dispatched every request.
   */
  private QueuedThreadPool threadPool() {
    int cores = Runtime.getRuntime().availableProcessors();
    QueuedThreadPool pool = new QueuedThreadPool(Math.max(16, 4 * cores), Math.min(8, 2 + cores));
    pool.setName("http");
    pool.setVirtualThreadsExecutor(virtualThreads);
    return pool;
  }

  /** A handler that runs only for a token of the path's issuer carrying {@code scope}. */
  @FunctionalInterface
  interface IssuerHandler {
    void handle(Context ctx, Principal principal) throws Exception;
  }

  /** Marks an issuer handler; {@link #secured} authorises it with its route's scope. */
  private record IssuerBound(IssuerHandler handler) implements io.javalin.http.Handler {
    @Override
    public void handle(Context ctx) {
      throw new IllegalStateException("issuer routes are bound through secured()");
    }
  }

  private static io.javalin.http.Handler issuer(IssuerHandler handler) {
    return new IssuerBound(handler);
  }

  private io.javalin.http.Handler secured(Route route, io.javalin.http.Handler bound) {
    if (!(bound instanceof IssuerBound(IssuerHandler handler))) {
      throw new IllegalStateException(route + " has a scope but no issuer handler");
    }
    Scope scope = route.scope();
    // Every route but reading an entry writes: its refusals are audited.
    boolean write = !"GET".equals(route.method());
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

  /** The route template a request matched (a declared one) or {@code unmatched}. */
  private static String routeOf(Context ctx) {
    try {
      return Route.label(ctx.endpoint().path);
    } catch (RuntimeException e) {
      return Route.UNMATCHED;
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

  /** Token requests answered on the selector thread (cached plain GETs). */
  public long fastPathServed() {
    return tokens.served();
  }

  @Override
  public void close() {
    app.stop();
    virtualThreads.shutdown();
  }
}

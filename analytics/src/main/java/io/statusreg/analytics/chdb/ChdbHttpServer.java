package io.statusreg.analytics.chdb;

import com.sun.net.httpserver.Headers;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.statusreg.analytics.chdb.internal.SqlHead;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.SequenceInputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.zip.GZIPInputStream;
import java.util.zip.InflaterInputStream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A local endpoint on 127.0.0.1 that speaks enough of ClickHouse's HTTP interface for the
 * unmodified clickhouse-jdbc driver (with {@code compress=false}) to run against a {@link Chdb}
 * session.
 *
 * <p>Served: {@code GET /ping} and {@code GET /} ({@code Ok.}); queries from the {@code query} URL
 * parameter and/or the body (concatenated with a newline, as ClickHouse does), with INSERT data
 * after {@code FORMAT <name>} in any input format, binary ones included (streamed into the engine
 * with {@code chdb_stream_insert_n}); {@code database} / {@code X-ClickHouse-Database}; {@code
 * default_format} / {@code X-ClickHouse-Format}; {@code query_id} / {@code X-ClickHouse-Query-Id};
 * {@code param_<name>} bound parameters; any other URL parameter as a query-level setting for that
 * request only; basic auth, {@code X-ClickHouse-User}/{@code X-ClickHouse-Key}, or {@code
 * user}/{@code password} parameters. Responses carry {@code X-ClickHouse-Summary}, {@code
 * X-ClickHouse-Format}, {@code X-ClickHouse-Query-Id}, {@code X-ClickHouse-Timezone} and {@code
 * X-ClickHouse-Server-Display-Name}; errors carry {@code X-ClickHouse-Exception-Code} and a body
 * {@code Code: N. DB::Exception: ...}.
 *
 * <p>Not served: ClickHouse's own LZ4 block compression ({@code compress=1}, {@code decompress=1}),
 * HTTP sessions ({@code session_id}), progress headers, and streaming of large results (each result
 * is materialised by the engine before it is sent). Requests are executed one at a time on the
 * session's connection.
 */
public final class ChdbHttpServer implements AutoCloseable {

  private static final Logger LOG = LoggerFactory.getLogger(ChdbHttpServer.class);

  /** The first bytes of a body read to find the statement; the rest is streamed as data. */
  private static final int HEAD_BYTES = 1 << 20;

  /** URL parameters of the HTTP interface itself; all others are settings. */
  private static final Set<String> PROTOCOL_PARAMS =
      Set.of(
          "query",
          "database",
          "default_format",
          "user",
          "password",
          "query_id",
          "session_id",
          "session_timeout",
          "session_check",
          "compress",
          "decompress",
          "enable_http_compression",
          "quota_key",
          "role",
          "buffer_size",
          "wait_end_of_query",
          "stacktrace",
          "client_protocol_version");

  /**
   * Settings of the endpoint.
   *
   * @param port TCP port on 127.0.0.1, 0 for a free one
   * @param user the one accepted user name
   * @param password its password (empty for none)
   * @param displayName sent as {@code X-ClickHouse-Server-Display-Name}
   * @param threads request threads (statements still run one at a time)
   */
  public record Config(int port, String user, String password, String displayName, int threads) {
    public Config {
      if (port < 0 || port > 65535) {
        throw new IllegalArgumentException("port must be 0..65535, was " + port);
      }
      Objects.requireNonNull(user, "user");
      Objects.requireNonNull(password, "password");
      Objects.requireNonNull(displayName, "displayName");
      if (user.isBlank()) {
        throw new IllegalArgumentException("user must not be blank");
      }
      if (threads < 1) {
        throw new IllegalArgumentException("threads must be at least 1, was " + threads);
      }
    }

    /** A free port, user {@code default} with no password. */
    public static Config defaults() {
      return new Config(0, "default", "", "statusreg-chdb", 4);
    }

    public Config withPort(int newPort) {
      return new Config(newPort, user, password, displayName, threads);
    }

    public Config withCredentials(String newUser, String newPassword) {
      return new Config(port, newUser, newPassword, displayName, threads);
    }
  }

  private final Chdb chdb;
  private final Config config;
  private final HttpServer server;
  private final ExecutorService executor;
  private final String timezone;
  private final String serverVersion;

  private ChdbHttpServer(Chdb chdb, Config config) throws IOException {
    this.chdb = chdb;
    this.config = config;
    this.timezone = chdb.query("SELECT timezone()").text().strip();
    this.serverVersion = chdb.query("SELECT version()").text().strip();
    this.server =
        HttpServer.create(
            new InetSocketAddress(InetAddress.getLoopbackAddress(), config.port()), 0);
    AtomicInteger n = new AtomicInteger();
    this.executor =
        Executors.newFixedThreadPool(
            config.threads(),
            r -> {
              Thread t = new Thread(r, "chdb-http-" + n.incrementAndGet());
              t.setDaemon(true);
              return t;
            });
    server.setExecutor(executor);
    server.createContext("/", this::handle);
    server.start();
  }

  /** Starts the endpoint for {@code chdb}; the caller keeps ownership of the session. */
  public static ChdbHttpServer start(Chdb chdb, Config config) {
    try {
      ChdbHttpServer s = new ChdbHttpServer(chdb, config);
      LOG.info("chDB HTTP endpoint on {} for {}", s.uri(), chdb.dataDir());
      return s;
    } catch (IOException e) {
      throw new ChdbException("starting the chDB HTTP endpoint on port " + config.port(), e);
    }
  }

  /** The bound port. */
  public int port() {
    return server.getAddress().getPort();
  }

  /** {@code http://127.0.0.1:<port>/}. */
  public URI uri() {
    return URI.create("http://127.0.0.1:" + port() + "/");
  }

  /** Stops accepting requests and waits briefly for those in flight; the session stays open. */
  @Override
  public void close() {
    server.stop(0);
    executor.shutdown();
    try {
      if (!executor.awaitTermination(10, TimeUnit.SECONDS)) {
        executor.shutdownNow();
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      executor.shutdownNow();
    }
  }

  // ---------------------------------------------------------------------------------------------

  private void handle(HttpExchange exchange) throws IOException {
    try {
      serve(exchange);
    } finally {
      exchange.close();
    }
  }

  private void serve(HttpExchange exchange) throws IOException {
    String queryId = UUID.randomUUID().toString();
    try {
      Map<String, String> params = parseQueryString(exchange.getRequestURI().getRawQuery());
      Headers in = exchange.getRequestHeaders();
      queryId =
          firstNonBlank(params.get("query_id"), in.getFirst("X-ClickHouse-Query-Id"), queryId);
      String path = exchange.getRequestURI().getPath();
      String method = exchange.getRequestMethod();
      LOG.debug(
          "{} {} params={} headers={}",
          method,
          exchange.getRequestURI(),
          params.keySet(),
          in.keySet());

      if (path.equals("/ping") || (path.equals("/") && isGetWithoutQuery(method, params))) {
        sendText(exchange, 200, "Ok.\n");
        return;
      }
      if (!path.equals("/")) {
        sendError(
            exchange,
            queryId,
            new ChdbException(
                36, "Code: 36. DB::Exception: There is no handle " + path + ". (BAD_ARGUMENTS)"));
        return;
      }
      if (!authenticated(exchange, params)) {
        String user = requestedUser(exchange, params);
        sendError(
            exchange,
            queryId,
            new ChdbException(
                516,
                "Code: 516. DB::Exception: "
                    + user
                    + ": Authentication failed: password is incorrect, or there is no user with"
                    + " such name. (AUTHENTICATION_FAILED)"));
        return;
      }
      if (isTrue(params.get("compress")) || isTrue(params.get("decompress"))) {
        sendError(
            exchange,
            queryId,
            new ChdbException(
                36,
                "Code: 36. DB::Exception: this chDB endpoint does not implement ClickHouse's"
                    + " compressed HTTP protocol (compress/decompress); use compress=false."
                    + " (BAD_ARGUMENTS)"));
        return;
      }
      Request request = readRequest(exchange, params, queryId);
      LOG.debug(
          "query {}: {}{}",
          queryId,
          preview(request.statement()),
          request.data() == null ? "" : " FORMAT " + request.insertFormat() + " <data>");
      ChdbResult result = execute(request);
      sendResult(exchange, request, result);
    } catch (ChdbException e) {
      sendError(exchange, queryId, e);
    } catch (RuntimeException e) {
      LOG.warn("chDB HTTP request {} failed", queryId, e);
      sendError(exchange, queryId, new ChdbException("serving the request", e));
    }
  }

  /** A parsed request. {@code data} is non-null for INSERT ... FORMAT with inline data. */
  private record Request(
      String queryId,
      String database,
      String defaultFormat,
      String outputFormat,
      Map<String, String> settings,
      Map<String, String> statementParams,
      byte[] statement,
      String insertFormat,
      InputStream data) {}

  private Request readRequest(HttpExchange exchange, Map<String, String> params, String queryId)
      throws IOException {
    Headers in = exchange.getRequestHeaders();
    String database =
        firstNonBlank(params.get("database"), in.getFirst("X-ClickHouse-Database"), "default");
    String defaultFormat =
        firstNonBlank(
            params.get("default_format"), in.getFirst("X-ClickHouse-Format"), "TabSeparated");
    Map<String, String> settings = new LinkedHashMap<>();
    Map<String, String> statementParams = new LinkedHashMap<>();
    for (Map.Entry<String, String> e : params.entrySet()) {
      String name = e.getKey();
      if (name.startsWith("param_")) {
        statementParams.put(name.substring("param_".length()), e.getValue());
      } else if (!PROTOCOL_PARAMS.contains(name) && !name.startsWith("http_")) {
        settings.put(name, e.getValue());
      }
    }

    InputStream body = decode(exchange);
    byte[] queryParam = params.getOrDefault("query", "").getBytes(StandardCharsets.UTF_8);
    byte[] headBody = body.readNBytes(HEAD_BYTES);
    boolean more = headBody.length == HEAD_BYTES;
    byte[] head = concat(queryParam, headBody);
    SqlHead.Parsed parsed = SqlHead.parse(head, head.length);
    if (more && !parsed.complete()) {
      head = append(head, body.readAllBytes());
      more = false;
      parsed = SqlHead.parse(head, head.length);
    }
    if (parsed.isInsertWithFormat()) {
      String insert = SqlHead.before(head, parsed.formatClauseStart());
      InputStream data =
          new ByteArrayInputStream(head, parsed.dataStart(), head.length - parsed.dataStart());
      if (more) {
        data = new SequenceInputStream(data, body);
      }
      return new Request(
          queryId,
          database,
          defaultFormat,
          defaultFormat,
          settings,
          statementParams,
          insert.getBytes(StandardCharsets.UTF_8),
          parsed.formatName().orElseThrow(),
          data);
    }
    if (more) {
      head = append(head, body.readAllBytes());
    }
    if (head.length == 0) {
      throw new ChdbException(
          1002, "Code: 1002. DB::Exception: Empty query. (UNKNOWN_EXCEPTION)"); // as ClickHouse
    }
    String output = parsed.formatName().orElse(defaultFormat);
    return new Request(
        queryId, database, defaultFormat, output, settings, statementParams, head, null, null);
  }

  private ChdbResult execute(Request request) {
    return chdb.exclusive(
        c -> {
          c.use(request.database());
          Map<String, String> previous = applySettings(c, request.settings());
          try {
            if (request.data() != null) {
              return c.insert(
                  new String(request.statement(), StandardCharsets.UTF_8),
                  request.insertFormat(),
                  request.data());
            }
            return c.query(request.statement(), request.defaultFormat(), request.statementParams());
          } finally {
            restoreSettings(c, previous);
          }
        });
  }

  /** Sets the request's settings on the connection and returns what to set them back to. */
  private static Map<String, String> applySettings(Chdb c, Map<String, String> settings) {
    if (settings.isEmpty()) {
      return Map.of();
    }
    List<String> names = new ArrayList<>(settings.keySet());
    String inList = String.join(", ", names.stream().map(ChdbHttpServer::quoteString).toList());
    Map<String, String> previous = new LinkedHashMap<>();
    String current =
        c.query("SELECT name, value FROM system.settings WHERE name IN (" + inList + ")", "TSVRaw")
            .text();
    for (String line : current.split("\n")) {
      int tab = line.indexOf('\t');
      if (tab > 0) {
        previous.put(line.substring(0, tab), line.substring(tab + 1));
      }
    }
    StringBuilder set = new StringBuilder("SET ");
    int i = 0;
    for (Map.Entry<String, String> e : settings.entrySet()) {
      if (i++ > 0) {
        set.append(", ");
      }
      set.append(e.getKey()).append(" = ").append(quoteString(e.getValue()));
    }
    c.query(set.toString()); // unknown setting: the engine's own error (code 115)
    return previous;
  }

  private static void restoreSettings(Chdb c, Map<String, String> previous) {
    if (previous.isEmpty()) {
      return;
    }
    StringBuilder set = new StringBuilder("SET ");
    int i = 0;
    for (Map.Entry<String, String> e : previous.entrySet()) {
      if (i++ > 0) {
        set.append(", ");
      }
      set.append(e.getKey()).append(" = ").append(quoteString(e.getValue()));
    }
    try {
      c.query(set.toString());
    } catch (ChdbException e) {
      LOG.warn(
          "could not restore settings {} after a request: {}", previous.keySet(), e.getMessage());
    }
  }

  private void sendResult(HttpExchange exchange, Request request, ChdbResult result)
      throws IOException {
    Headers out = exchange.getResponseHeaders();
    commonHeaders(out, request.queryId());
    out.set("X-ClickHouse-Format", request.outputFormat());
    out.set("Content-Type", contentType(request.outputFormat()));
    out.set("X-ClickHouse-Summary", summary(result));
    byte[] data = result.data();
    exchange.sendResponseHeaders(200, data.length == 0 ? -1 : data.length);
    if (data.length > 0) {
      try (OutputStream body = exchange.getResponseBody()) {
        body.write(data);
      }
    }
  }

  private void sendError(HttpExchange exchange, String queryId, ChdbException e)
      throws IOException {
    String message = e.engineMessage();
    if (!message.startsWith("Code: ")) {
      message = "Code: " + e.code() + ". DB::Exception: " + message;
    }
    if (!message.contains("(version ")) {
      message = message + " (version " + serverVersion + " (chDB))";
    }
    LOG.debug("query {} failed: {}", queryId, message);
    Headers out = exchange.getResponseHeaders();
    commonHeaders(out, queryId);
    out.set("X-ClickHouse-Exception-Code", Integer.toString(e.code()));
    out.set("Content-Type", "text/plain; charset=UTF-8");
    byte[] body = (message + "\n").getBytes(StandardCharsets.UTF_8);
    exchange.sendResponseHeaders(httpStatus(e.code()), body.length);
    try (OutputStream o = exchange.getResponseBody()) {
      o.write(body);
    }
  }

  private void commonHeaders(Headers out, String queryId) {
    out.set("X-ClickHouse-Query-Id", queryId);
    out.set("X-ClickHouse-Timezone", timezone);
    out.set("X-ClickHouse-Server-Display-Name", config.displayName());
  }

  private static void sendText(HttpExchange exchange, int status, String text) throws IOException {
    byte[] body = text.getBytes(StandardCharsets.UTF_8);
    exchange.getResponseHeaders().set("Content-Type", "text/html; charset=UTF-8");
    if (exchange.getRequestMethod().equals("HEAD")) {
      exchange.sendResponseHeaders(status, -1);
      return;
    }
    exchange.sendResponseHeaders(status, body.length);
    try (OutputStream o = exchange.getResponseBody()) {
      o.write(body);
    }
  }

  /** ClickHouse's HTTP status for an exception code (a subset of HTTPHandler's mapping). */
  static int httpStatus(int code) {
    return switch (code) {
      case 192, 193, 194, 516 -> 401; // UNKNOWN_USER, WRONG_PASSWORD, REQUIRED_PASSWORD, AUTH
      case 164, 497 -> 403; // READONLY, ACCESS_DENIED
      case 6, 16, 26, 27, 36, 41, 42, 43, 44, 46, 47, 53, 62, 73, 115, 456, 457 -> 400;
      case 60, 81 -> 404; // UNKNOWN_TABLE, UNKNOWN_DATABASE
      default -> 500;
    };
  }

  static String summary(ChdbResult r) {
    return "{\"read_rows\":\""
        + r.readRows()
        + "\",\"read_bytes\":\""
        + r.readBytes()
        + "\",\"written_rows\":\""
        + r.writtenRows()
        + "\",\"written_bytes\":\""
        + r.writtenBytes()
        + "\",\"total_rows_to_read\":\""
        + r.readRows()
        + "\",\"result_rows\":\""
        + r.resultRows()
        + "\",\"result_bytes\":\""
        + r.resultBytes()
        + "\",\"elapsed_ns\":\""
        + r.elapsed().toNanos()
        + "\"}";
  }

  private static String contentType(String format) {
    String f = format.toLowerCase(Locale.ROOT);
    if (f.startsWith("tabseparated") || f.startsWith("tsv")) {
      return "text/tab-separated-values; charset=UTF-8";
    }
    if (f.startsWith("csv")) {
      return "text/csv; charset=UTF-8; header=absent";
    }
    if (f.startsWith("json")) {
      return "application/json; charset=UTF-8";
    }
    if (f.startsWith("pretty") || f.equals("vertical") || f.equals("values")) {
      return "text/plain; charset=UTF-8";
    }
    return "application/octet-stream";
  }

  // --- authentication ---------------------------------------------------------------------------

  private boolean authenticated(HttpExchange exchange, Map<String, String> params) {
    String[] credentials = credentials(exchange, params);
    return constantTimeEquals(credentials[0], config.user())
        & constantTimeEquals(credentials[1], config.password());
  }

  private String requestedUser(HttpExchange exchange, Map<String, String> params) {
    return credentials(exchange, params)[0];
  }

  /** User and password from basic auth, the X-ClickHouse-User/Key headers, or URL parameters. */
  private static String[] credentials(HttpExchange exchange, Map<String, String> params) {
    Headers in = exchange.getRequestHeaders();
    String authorization = in.getFirst("Authorization");
    if (authorization != null && authorization.regionMatches(true, 0, "Basic ", 0, 6)) {
      try {
        String decoded =
            new String(
                Base64.getDecoder().decode(authorization.substring(6).strip()),
                StandardCharsets.UTF_8);
        int colon = decoded.indexOf(':');
        return colon < 0
            ? new String[] {decoded, ""}
            : new String[] {decoded.substring(0, colon), decoded.substring(colon + 1)};
      } catch (IllegalArgumentException e) {
        return new String[] {"", "\0invalid"};
      }
    }
    String user = firstNonBlank(in.getFirst("X-ClickHouse-User"), params.get("user"), "default");
    String key = in.getFirst("X-ClickHouse-Key");
    String password = key != null ? key : params.getOrDefault("password", "");
    return new String[] {user, password};
  }

  private static boolean constantTimeEquals(String a, String b) {
    return MessageDigest.isEqual(
        a.getBytes(StandardCharsets.UTF_8), b.getBytes(StandardCharsets.UTF_8));
  }

  // --- helpers ----------------------------------------------------------------------------------

  private static InputStream decode(HttpExchange exchange) throws IOException {
    InputStream body = exchange.getRequestBody();
    String encoding = exchange.getRequestHeaders().getFirst("Content-Encoding");
    if (encoding == null || encoding.isBlank() || encoding.equalsIgnoreCase("identity")) {
      return body;
    }
    return switch (encoding.strip().toLowerCase(Locale.ROOT)) {
      case "gzip" -> new GZIPInputStream(body);
      case "deflate" -> new InflaterInputStream(body);
      default ->
          throw new ChdbException(
              36,
              "Code: 36. DB::Exception: Content-Encoding "
                  + encoding
                  + " is not supported by this chDB endpoint (gzip and deflate are)."
                  + " (BAD_ARGUMENTS)");
    };
  }

  private static String preview(byte[] statement) {
    String text = new String(statement, 0, Math.min(statement.length, 300), StandardCharsets.UTF_8);
    return text.replaceAll("[\\p{Cntrl}]", " ");
  }

  private static boolean isGetWithoutQuery(String method, Map<String, String> params) {
    return (method.equals("GET") || method.equals("HEAD")) && !params.containsKey("query");
  }

  private static boolean isTrue(String value) {
    return value != null && (value.equals("1") || value.equalsIgnoreCase("true"));
  }

  static Map<String, String> parseQueryString(String raw) {
    Map<String, String> params = new LinkedHashMap<>();
    if (raw == null || raw.isEmpty()) {
      return params;
    }
    for (String pair : raw.split("&")) {
      if (pair.isEmpty()) {
        continue;
      }
      int eq = pair.indexOf('=');
      String name = eq < 0 ? pair : pair.substring(0, eq);
      String value = eq < 0 ? "" : pair.substring(eq + 1);
      params.put(
          URLDecoder.decode(name, StandardCharsets.UTF_8),
          URLDecoder.decode(value, StandardCharsets.UTF_8));
    }
    return params;
  }

  private static String firstNonBlank(String a, String b, String fallback) {
    if (a != null && !a.isBlank()) {
      return a;
    }
    if (b != null && !b.isBlank()) {
      return b;
    }
    return fallback;
  }

  private static byte[] concat(byte[] a, byte[] b) {
    if (a.length == 0) {
      return b;
    }
    if (b.length == 0) {
      return a;
    }
    byte[] joined = new byte[a.length + 1 + b.length];
    System.arraycopy(a, 0, joined, 0, a.length);
    joined[a.length] = '\n';
    System.arraycopy(b, 0, joined, a.length + 1, b.length);
    return joined;
  }

  private static byte[] append(byte[] a, byte[] b) {
    byte[] joined = new byte[a.length + b.length];
    System.arraycopy(a, 0, joined, 0, a.length);
    System.arraycopy(b, 0, joined, a.length, b.length);
    return joined;
  }

  static String quoteString(String value) {
    return "'" + value.replace("\\", "\\\\").replace("'", "\\'") + "'";
  }
}

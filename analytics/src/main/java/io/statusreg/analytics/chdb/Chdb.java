package io.statusreg.analytics.chdb;

import io.statusreg.analytics.chdb.internal.LibChdb;
import io.statusreg.analytics.chdb.internal.SqlHead;
import java.io.IOException;
import java.io.InputStream;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Function;

/**
 * A session of the chDB engine (ClickHouse as a library) on a data directory, called through
 * java.lang.foreign.
 *
 * <p>The engine is process-wide: one library per JVM and one data path at a time. Several {@code
 * Chdb} instances may be open on the same path; opening one on another path while any is open
 * fails. Closing the last one shuts the engine down; opening again on the same path boots it again
 * and finds the data.
 *
 * <p>A chDB connection runs one statement at a time, so every call on one instance holds its lock.
 * {@link #exclusive(Function)} holds it across several statements (e.g. {@code USE}, {@code SET},
 * the query and the undoing of both).
 */
public final class Chdb implements AutoCloseable {

  private static final int APPEND_CHUNK = 256 * 1024;

  private static final Object ENGINE = new Object();
  private static Path enginePath;
  private static int openSessions;

  private final LibChdb lib;
  private final Path dataDir;
  private final ReentrantLock lock = new ReentrantLock();
  private MemorySegment connPtr; // chdb_connection *, guarded by lock
  private MemorySegment conn; // chdb_connection, guarded by lock
  private String currentDatabase; // known current database, null when unknown; guarded by lock

  private Chdb(LibChdb lib, Path dataDir, MemorySegment connPtr) {
    this.lib = lib;
    this.dataDir = dataDir;
    this.connPtr = connPtr;
    this.conn = connPtr.reinterpret(ValueLayout.ADDRESS.byteSize()).get(ValueLayout.ADDRESS, 0);
  }

  /**
   * Loads {@code library} (once per JVM) and opens a persistent session on {@code dataDir}, created
   * if missing.
   *
   * @param extraArgs further {@code --name=value} arguments for {@code chdb_connect} (query-level
   *     settings apply to this connection only)
   */
  public static Chdb open(Path library, Path dataDir, String... extraArgs) {
    Objects.requireNonNull(library, "library");
    Objects.requireNonNull(dataDir, "dataDir");
    Path dir;
    try {
      Files.createDirectories(dataDir);
      dir = dataDir.toRealPath();
    } catch (IOException e) {
      throw new ChdbException("creating chDB data directory " + dataDir, e);
    }
    LibChdb lib = LibChdb.load(library);
    synchronized (ENGINE) {
      if (openSessions > 0 && !dir.equals(enginePath)) {
        throw new ChdbException(
            ChdbException.UNKNOWN_CODE,
            "the chDB engine of this JVM is open on "
                + enginePath
                + "; close every session there before opening "
                + dir);
      }
      List<String> args = new ArrayList<>();
      args.add("clickhouse");
      args.add("--path=" + dir);
      args.addAll(List.of(extraArgs));
      MemorySegment connPtr;
      try (Arena arena = Arena.ofConfined()) {
        MemorySegment argv = arena.allocate(ValueLayout.ADDRESS, args.size());
        for (int i = 0; i < args.size(); i++) {
          argv.setAtIndex(ValueLayout.ADDRESS, i, arena.allocateFrom(args.get(i)));
        }
        connPtr = (MemorySegment) lib.connect.invokeExact(args.size(), argv);
      } catch (Throwable t) {
        throw new ChdbException("connecting chDB on " + dir, t);
      }
      if (connPtr.address() == 0) {
        throw new ChdbException(
            ChdbException.UNKNOWN_CODE,
            "chdb_connect failed on "
                + dir
                + " (another process using the directory? see the engine's output on stderr)");
      }
      openSessions++;
      enginePath = dir;
      return new Chdb(lib, dir, connPtr);
    }
  }

  /** The data directory (real path). */
  public Path dataDir() {
    return dataDir;
  }

  /** The library file in use. */
  public Path library() {
    return lib.path();
  }

  /** The engine's version, e.g. {@code 26.7.3}. */
  public String libraryVersion() {
    try {
      return LibChdb.cString((MemorySegment) lib.version.invokeExact());
    } catch (Throwable t) {
      throw new ChdbException("reading chdb_version", t);
    }
  }

  /** Runs {@code sql} and returns its output as TabSeparated text. */
  public ChdbResult query(String sql) {
    return query(sql, "TabSeparated");
  }

  /**
   * Runs one statement; the output is in {@code format} unless the statement names its own {@code
   * FORMAT}.
   */
  public ChdbResult query(String sql, String format) {
    return query(sql.getBytes(StandardCharsets.UTF_8), format, Map.of());
  }

  /**
   * Runs one statement with server-side bound parameters: {@code {name:Type}} placeholders take
   * their values from {@code params} (values in ClickHouse's text form, never interpolated).
   */
  public ChdbResult query(String sql, String format, Map<String, String> params) {
    return query(sql.getBytes(StandardCharsets.UTF_8), format, params);
  }

  /** Binary-safe variant: {@code sql} may carry inline data with NUL bytes. */
  public ChdbResult query(byte[] sql, String format, Map<String, String> params) {
    Objects.requireNonNull(sql, "sql");
    Objects.requireNonNull(format, "format");
    Objects.requireNonNull(params, "params");
    lock.lock();
    try (Arena arena = Arena.ofConfined()) {
      MemorySegment connection = openConnection();
      MemorySegment q = bytes(arena, sql);
      byte[] fmtBytes = format.getBytes(StandardCharsets.UTF_8);
      MemorySegment f = bytes(arena, fmtBytes);
      MemorySegment result;
      if (params.isEmpty()) {
        result =
            (MemorySegment)
                lib.queryN.invokeExact(connection, q, (long) sql.length, f, (long) fmtBytes.length);
      } else {
        int n = params.size();
        MemorySegment names = arena.allocate(ValueLayout.ADDRESS, n);
        MemorySegment nameLens = arena.allocate(ValueLayout.JAVA_LONG, n);
        MemorySegment values = arena.allocate(ValueLayout.ADDRESS, n);
        MemorySegment valueLens = arena.allocate(ValueLayout.JAVA_LONG, n);
        int i = 0;
        for (Map.Entry<String, String> e : params.entrySet()) {
          byte[] name = e.getKey().getBytes(StandardCharsets.UTF_8);
          byte[] value = e.getValue().getBytes(StandardCharsets.UTF_8);
          names.setAtIndex(ValueLayout.ADDRESS, i, bytes(arena, name));
          nameLens.setAtIndex(ValueLayout.JAVA_LONG, i, name.length);
          values.setAtIndex(ValueLayout.ADDRESS, i, bytes(arena, value));
          valueLens.setAtIndex(ValueLayout.JAVA_LONG, i, value.length);
          i++;
        }
        result =
            (MemorySegment)
                lib.queryWithParamsN.invokeExact(
                    connection,
                    q,
                    (long) sql.length,
                    f,
                    (long) fmtBytes.length,
                    names,
                    nameLens,
                    values,
                    valueLens,
                    (long) n);
      }
      if (currentDatabase != null && "USE".equals(SqlHead.parse(sql, sql.length).firstKeyword())) {
        currentDatabase = null;
      }
      return consume(result);
    } catch (ChdbException e) {
      throw e;
    } catch (Throwable t) {
      throw new ChdbException("running a chDB query", t);
    } finally {
      lock.unlock();
    }
  }

  /**
   * Makes {@code database} the session's current database, skipping the round trip when it already
   * is (as far as this instance has seen: a {@code USE} run through it resets what it knows).
   */
  public void use(String database) {
    Objects.requireNonNull(database, "database");
    lock.lock();
    try {
      if (!database.equals(currentDatabase)) {
        query("USE `" + database.replace("\\", "\\\\").replace("`", "\\`") + "`");
        currentDatabase = database;
      }
    } finally {
      lock.unlock();
    }
  }

  /**
   * Streams {@code data} into an INSERT: {@code insert} is the statement without {@code FORMAT} or
   * data (e.g. {@code INSERT INTO t (a, b)}), {@code format} names the encoding of {@code data}
   * (RowBinary, Native, CSV, JSONEachRow, ...). Binary-safe; the data never passes through SQL
   * text.
   */
  public ChdbResult insert(String insert, String format, InputStream data) {
    Objects.requireNonNull(insert, "insert");
    Objects.requireNonNull(format, "format");
    Objects.requireNonNull(data, "data");
    lock.lock();
    MemorySegment stream = MemorySegment.NULL;
    try (Arena arena = Arena.ofConfined()) {
      MemorySegment connection = openConnection();
      byte[] q = insert.getBytes(StandardCharsets.UTF_8);
      byte[] f = format.getBytes(StandardCharsets.UTF_8);
      stream =
          (MemorySegment)
              lib.streamInsertN.invokeExact(
                  connection, bytes(arena, q), (long) q.length, bytes(arena, f), (long) f.length);
      String openError = LibChdb.cString((MemorySegment) lib.streamInsertError.invokeExact(stream));
      if (openError != null) {
        throw ChdbException.fromEngine(openError);
      }
      MemorySegment chunk = arena.allocate(APPEND_CHUNK);
      byte[] buffer = new byte[APPEND_CHUNK];
      int n;
      while ((n = readFully(data, buffer)) > 0) {
        MemorySegment.copy(buffer, 0, chunk, ValueLayout.JAVA_BYTE, 0, n);
        int state = (int) lib.streamAppend.invokeExact(stream, chunk, (long) n);
        if (state != 0) {
          String error = LibChdb.cString((MemorySegment) lib.streamInsertError.invokeExact(stream));
          lib.streamCancelInsert.invokeExact(stream);
          throw ChdbException.fromEngine(
              error != null ? error : "Code: 1002. DB::Exception: streaming INSERT failed");
        }
      }
      return consume((MemorySegment) lib.streamDone.invokeExact(stream));
    } catch (ChdbException e) {
      throw e;
    } catch (IOException e) {
      cancel(stream);
      throw new ChdbException("reading INSERT data", e);
    } catch (Throwable t) {
      throw new ChdbException("streaming an INSERT into chDB", t);
    } finally {
      destroy(stream);
      lock.unlock();
    }
  }

  /**
   * Runs {@code work} while holding this session's lock, so that no other caller's statement runs
   * between the statements {@code work} issues (e.g. {@code USE db}, the query, {@code USE
   * default}).
   */
  public <T> T exclusive(Function<Chdb, T> work) {
    lock.lock();
    try {
      return work.apply(this);
    } finally {
      lock.unlock();
    }
  }

  /** Whether this session is still open. */
  public boolean isOpen() {
    lock.lock();
    try {
      return connPtr != null;
    } finally {
      lock.unlock();
    }
  }

  /** Closes the session; closing the last session of the JVM shuts the engine down. */
  @Override
  public void close() {
    lock.lock();
    try {
      if (connPtr == null) {
        return;
      }
      synchronized (ENGINE) {
        try {
          lib.closeConn.invokeExact(connPtr);
        } catch (Throwable t) {
          throw new ChdbException("closing chDB session on " + dataDir, t);
        } finally {
          connPtr = null;
          conn = null;
          openSessions--;
          if (openSessions == 0) {
            enginePath = null;
          }
        }
      }
    } finally {
      lock.unlock();
    }
  }

  private MemorySegment openConnection() {
    if (conn == null) {
      throw new ChdbException(
          ChdbException.UNKNOWN_CODE, "the chDB session on " + dataDir + " is closed");
    }
    return conn;
  }

  private ChdbResult consume(MemorySegment result) throws Throwable {
    if (result.address() == 0) {
      throw new ChdbException(ChdbException.UNKNOWN_CODE, "chDB returned no result");
    }
    try {
      String error = LibChdb.cString((MemorySegment) lib.resultError.invokeExact(result));
      if (error != null) {
        throw ChdbException.fromEngine(error);
      }
      long length = (long) lib.resultLength.invokeExact(result);
      byte[] data = new byte[0];
      if (length > 0) {
        MemorySegment buffer = (MemorySegment) lib.resultBuffer.invokeExact(result);
        data = buffer.reinterpret(length).toArray(ValueLayout.JAVA_BYTE);
      }
      double elapsed = (double) lib.resultElapsed.invokeExact(result);
      return new ChdbResult(
          data,
          (long) lib.resultRowsRead.invokeExact(result),
          (long) lib.resultBytesRead.invokeExact(result),
          (long) lib.resultStorageRowsRead.invokeExact(result),
          (long) lib.resultStorageBytesRead.invokeExact(result),
          (long) lib.resultRowsWritten.invokeExact(result),
          (long) lib.resultBytesWritten.invokeExact(result),
          Duration.ofNanos((long) (elapsed * 1_000_000_000d)));
    } finally {
      lib.destroyQueryResult.invokeExact(result);
    }
  }

  private void cancel(MemorySegment stream) {
    if (stream.address() != 0) {
      try {
        lib.streamCancelInsert.invokeExact(stream);
      } catch (Throwable ignored) {
        // destroy() below cancels as well
      }
    }
  }

  private void destroy(MemorySegment stream) {
    if (stream.address() != 0) {
      try {
        lib.destroyInsertStream.invokeExact(stream);
      } catch (Throwable t) {
        throw new ChdbException("destroying a chDB insert stream", t);
      }
    }
  }

  private static MemorySegment bytes(Arena arena, byte[] value) {
    MemorySegment segment = arena.allocate(Math.max(1, value.length + 1));
    MemorySegment.copy(value, 0, segment, ValueLayout.JAVA_BYTE, 0, value.length);
    return segment; // zero-filled by the arena, so also NUL-terminated
  }

  private static int readFully(InputStream in, byte[] buffer) throws IOException {
    int total = 0;
    while (total < buffer.length) {
      int n = in.read(buffer, total, buffer.length - total);
      if (n < 0) {
        break;
      }
      total += n;
    }
    return total;
  }
}

package io.statusreg.analytics.chdb.internal;

import static java.lang.foreign.ValueLayout.ADDRESS;
import static java.lang.foreign.ValueLayout.JAVA_DOUBLE;
import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_LONG;

import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.SymbolLookup;
import java.lang.invoke.MethodHandle;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Down-call handles for the C API of {@code libchdb.so} ({@code programs/local/chdb.h} of chDB
 * 26.7). The library is loaded once per JVM into the global arena: it is about 566 MB and holds the
 * process-wide engine, so a second copy would be both wasteful and wrong.
 *
 * <p>Types: {@code chdb_connection} is an opaque pointer; {@code chdb_connect} returns a pointer to
 * one ({@code chdb_connection *}), which is what {@code chdb_close_conn} takes back; every query
 * function takes the dereferenced {@code chdb_connection}. {@code size_t} and {@code uint64_t} are
 * 64-bit on the only platform the library is fetched for (Linux x86_64).
 */
public final class LibChdb {

  private static final Object LOCK = new Object();
  private static LibChdb loaded;

  private final Path path;
  public final MethodHandle version;
  public final MethodHandle setSignalHandlersEnabled;
  public final MethodHandle connect;
  public final MethodHandle closeConn;
  public final MethodHandle queryN;
  public final MethodHandle queryWithParamsN;
  public final MethodHandle destroyQueryResult;
  public final MethodHandle resultBuffer;
  public final MethodHandle resultLength;
  public final MethodHandle resultElapsed;
  public final MethodHandle resultRowsRead;
  public final MethodHandle resultBytesRead;
  public final MethodHandle resultStorageRowsRead;
  public final MethodHandle resultStorageBytesRead;
  public final MethodHandle resultRowsWritten;
  public final MethodHandle resultBytesWritten;
  public final MethodHandle resultError;
  public final MethodHandle streamInsertN;
  public final MethodHandle streamInsertError;
  public final MethodHandle streamAppend;
  public final MethodHandle streamDone;
  public final MethodHandle streamCancelInsert;
  public final MethodHandle destroyInsertStream;

  private LibChdb(Path path) {
    this.path = path;
    SymbolLookup lookup = SymbolLookup.libraryLookup(path, Arena.global());
    Linker linker = Linker.nativeLinker();
    version = handle(linker, lookup, "chdb_version", FunctionDescriptor.of(ADDRESS));
    setSignalHandlersEnabled =
        handle(
            linker,
            lookup,
            "chdb_set_signal_handlers_enabled",
            FunctionDescriptor.ofVoid(JAVA_INT));
    connect =
        handle(linker, lookup, "chdb_connect", FunctionDescriptor.of(ADDRESS, JAVA_INT, ADDRESS));
    closeConn = handle(linker, lookup, "chdb_close_conn", FunctionDescriptor.ofVoid(ADDRESS));
    queryN =
        handle(
            linker,
            lookup,
            "chdb_query_n",
            FunctionDescriptor.of(ADDRESS, ADDRESS, ADDRESS, JAVA_LONG, ADDRESS, JAVA_LONG));
    queryWithParamsN =
        handle(
            linker,
            lookup,
            "chdb_query_with_params_n",
            FunctionDescriptor.of(
                ADDRESS, ADDRESS, ADDRESS, JAVA_LONG, ADDRESS, JAVA_LONG, ADDRESS, ADDRESS, ADDRESS,
                ADDRESS, JAVA_LONG));
    destroyQueryResult =
        handle(linker, lookup, "chdb_destroy_query_result", FunctionDescriptor.ofVoid(ADDRESS));
    resultBuffer =
        handle(linker, lookup, "chdb_result_buffer", FunctionDescriptor.of(ADDRESS, ADDRESS));
    resultLength =
        handle(linker, lookup, "chdb_result_length", FunctionDescriptor.of(JAVA_LONG, ADDRESS));
    resultElapsed =
        handle(linker, lookup, "chdb_result_elapsed", FunctionDescriptor.of(JAVA_DOUBLE, ADDRESS));
    resultRowsRead =
        handle(linker, lookup, "chdb_result_rows_read", FunctionDescriptor.of(JAVA_LONG, ADDRESS));
    resultBytesRead =
        handle(linker, lookup, "chdb_result_bytes_read", FunctionDescriptor.of(JAVA_LONG, ADDRESS));
    resultStorageRowsRead =
        handle(
            linker,
            lookup,
            "chdb_result_storage_rows_read",
            FunctionDescriptor.of(JAVA_LONG, ADDRESS));
    resultStorageBytesRead =
        handle(
            linker,
            lookup,
            "chdb_result_storage_bytes_read",
            FunctionDescriptor.of(JAVA_LONG, ADDRESS));
    resultRowsWritten =
        handle(
            linker, lookup, "chdb_result_rows_written", FunctionDescriptor.of(JAVA_LONG, ADDRESS));
    resultBytesWritten =
        handle(
            linker, lookup, "chdb_result_bytes_written", FunctionDescriptor.of(JAVA_LONG, ADDRESS));
    resultError =
        handle(linker, lookup, "chdb_result_error", FunctionDescriptor.of(ADDRESS, ADDRESS));
    streamInsertN =
        handle(
            linker,
            lookup,
            "chdb_stream_insert_n",
            FunctionDescriptor.of(ADDRESS, ADDRESS, ADDRESS, JAVA_LONG, ADDRESS, JAVA_LONG));
    streamInsertError =
        handle(linker, lookup, "chdb_stream_insert_error", FunctionDescriptor.of(ADDRESS, ADDRESS));
    streamAppend =
        handle(
            linker,
            lookup,
            "chdb_stream_append",
            FunctionDescriptor.of(JAVA_INT, ADDRESS, ADDRESS, JAVA_LONG));
    streamDone =
        handle(linker, lookup, "chdb_stream_done", FunctionDescriptor.of(ADDRESS, ADDRESS));
    streamCancelInsert =
        handle(linker, lookup, "chdb_stream_cancel_insert", FunctionDescriptor.ofVoid(ADDRESS));
    destroyInsertStream =
        handle(linker, lookup, "chdb_destroy_insert_stream", FunctionDescriptor.ofVoid(ADDRESS));
  }

  private static MethodHandle handle(
      Linker linker, SymbolLookup lookup, String name, FunctionDescriptor descriptor) {
    MemorySegment symbol =
        lookup
            .find(name)
            .orElseThrow(
                () ->
                    new IllegalStateException(
                        "libchdb has no symbol " + name + " (expected chDB 26.7 or newer)"));
    return linker.downcallHandle(symbol, descriptor);
  }

  /**
   * Loads the library at {@code path}, or returns the one already loaded. A JVM holds one chDB
   * engine: asking for a different file afterwards fails.
   */
  public static LibChdb load(Path path) {
    Path real;
    try {
      real = path.toRealPath();
    } catch (java.io.IOException e) {
      throw new IllegalArgumentException("chDB library " + path + " cannot be read", e);
    }
    synchronized (LOCK) {
      if (loaded != null) {
        if (!loaded.path.equals(real)) {
          throw new IllegalStateException(
              "a chDB library is already loaded in this JVM from "
                  + loaded.path
                  + "; cannot load a second one from "
                  + real);
        }
        return loaded;
      }
      if (!Files.isRegularFile(real)) {
        throw new IllegalArgumentException("chDB library " + real + " is not a file");
      }
      LibChdb lib = new LibChdb(real);
      try {
        // The JVM relies on its own SIGSEGV/SIGBUS handlers (implicit null checks, safepoints);
        // chDB must not replace them. Process-wide and sticky; must precede the first connect.
        lib.setSignalHandlersEnabled.invokeExact(0);
      } catch (Throwable t) {
        throw new IllegalStateException("disabling chDB's signal handlers", t);
      }
      loaded = lib;
      return lib;
    }
  }

  /** The library file this instance was loaded from. */
  public Path path() {
    return path;
  }

  /** Reads a NUL-terminated UTF-8 string, or returns null for a NULL pointer. */
  public static String cString(MemorySegment pointer) {
    if (pointer == null || pointer.address() == 0) {
      return null;
    }
    return pointer.reinterpret(Long.MAX_VALUE).getString(0);
  }
}

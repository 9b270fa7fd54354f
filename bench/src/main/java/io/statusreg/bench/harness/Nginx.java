package io.statusreg.bench.harness;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;

/**
 * A private nginx serving fixed files from {@code <dir>/www} on 127.0.0.1 and a free port, with its
 * own configuration, pid, error log and temp folders under {@code dir}; access log off. Run in the
 * foreground ({@code daemon off}) as a child process and stopped by its handle.
 */
public final class Nginx implements AutoCloseable {
  private final Process process;
  private final List<String> command;
  private final int port;

  private Nginx(Process process, List<String> command, int port) {
    this.process = process;
    this.command = command;
    this.port = port;
  }

  /** The configuration: one server answering every file of {@code www} with {@code type}. */
  public static String config(Path dir, int port, int workers, String contentType, boolean root) {
    return """
        # statusreg bench: the nginx baseline for the reads benchmark (same bytes, same machine).
        %s
        worker_processes %d;
        daemon off;
        pid %s;
        error_log %s warn;
        events { worker_connections 4096; }
        http {
          access_log off;
          sendfile on;
          tcp_nopush on;
          tcp_nodelay on;
          keepalive_timeout 65;
          keepalive_requests 100000000;
          server_tokens off;
          types { }
          default_type %s;
          client_body_temp_path %s;
          proxy_temp_path %s;
          fastcgi_temp_path %s;
          uwsgi_temp_path %s;
          scgi_temp_path %s;
          server {
            listen 127.0.0.1:%d;
            root %s;
          }
        }
        """
        .formatted(
            root ? "user root root;" : "",
            workers,
            dir.resolve("nginx.pid"),
            dir.resolve("error.log"),
            contentType,
            dir.resolve("tmp/client_body"),
            dir.resolve("tmp/proxy"),
            dir.resolve("tmp/fastcgi"),
            dir.resolve("tmp/uwsgi"),
            dir.resolve("tmp/scgi"),
            port,
            dir.resolve("www"));
  }

  /** Starts nginx serving {@code files} (name -> bytes) and waits until it answers. */
  public static Nginx start(Path dir, Map<String, byte[]> files, int workers, String contentType) {
    int port = RegistryServer.freePort();
    try {
      Files.createDirectories(dir.resolve("www"));
      Files.createDirectories(dir.resolve("tmp"));
      for (var e : files.entrySet()) {
        Files.write(dir.resolve("www").resolve(e.getKey()), e.getValue());
      }
      boolean root = "root".equals(System.getProperty("user.name"));
      Files.writeString(dir.resolve("nginx.conf"), config(dir, port, workers, contentType, root));
    } catch (IOException e) {
      throw new UncheckedIOException("preparing nginx under " + dir, e);
    }
    List<String> cmd =
        List.of(
            Commands.which("nginx"),
            "-p",
            dir.toString(),
            "-e",
            dir.resolve("error.log").toString(),
            "-c",
            dir.resolve("nginx.conf").toString());
    Process p = Commands.start(cmd, Map.of(), dir.resolve("nginx.out"));
    Nginx nginx = new Nginx(p, cmd, port);
    long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
    while (System.nanoTime() < deadline) {
      if (!p.isAlive()) {
        throw new IllegalStateException("nginx exited with " + p.exitValue() + "; see " + dir);
      }
      try (var s = new java.net.Socket("127.0.0.1", port)) {
        return nginx;
      } catch (IOException e) {
        RegistryServer.sleep(50);
      }
    }
    nginx.close();
    throw new IllegalStateException("nginx did not listen within 10 s; see " + dir);
  }

  public String url(String file) {
    return "http://127.0.0.1:" + port + "/" + file;
  }

  public String commandLine() {
    return Commands.render(command);
  }

  public long pid() {
    return process.pid();
  }

  @Override
  public void close() {
    Commands.stop(process, Duration.ofSeconds(10));
  }
}

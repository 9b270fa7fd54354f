package io.statusreg.api.http;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/** Raw HTTP/1.1 over a socket, for requests no HTTP client would send. */
final class RawHttp {
  /** A parsed response: status, lower-cased header names, body text. */
  record Reply(int status, Map<String, String> headers, String body) {}

  private RawHttp() {}

  static Socket open(int port) throws IOException {
    Socket s = new Socket();
    s.connect(new InetSocketAddress("127.0.0.1", port), 5_000);
    s.setSoTimeout(10_000);
    return s;
  }

  /** Sends {@code request} as is and reads one response (until the peer closes or 10 s). */
  static Reply send(int port, byte[] request) throws IOException {
    try (Socket s = open(port)) {
      s.getOutputStream().write(request);
      s.getOutputStream().flush();
      return read(s.getInputStream());
    }
  }

  static Reply send(int port, String request) throws IOException {
    return send(port, request.getBytes(StandardCharsets.ISO_8859_1));
  }

  /** Reads one response: headers, then Content-Length bytes, or until close without one. */
  static Reply read(InputStream in) throws IOException {
    ByteArrayOutputStream head = new ByteArrayOutputStream();
    int state = 0;
    while (state < 4) {
      int b = in.read();
      if (b < 0) {
        break;
      }
      head.write(b);
      state =
          (b == '\r' && (state == 0 || state == 2)) || (b == '\n' && (state == 1 || state == 3))
              ? state + 1
              : (b == '\r' ? 1 : 0);
    }
    String text = head.toString(StandardCharsets.ISO_8859_1);
    if (text.isEmpty()) {
      return new Reply(-1, Map.of(), "");
    }
    String[] lines = text.split("\r\n");
    int status = Integer.parseInt(lines[0].split(" ")[1]);
    Map<String, String> headers = new LinkedHashMap<>();
    for (int i = 1; i < lines.length; i++) {
      int colon = lines[i].indexOf(':');
      if (colon > 0) {
        headers.put(
            lines[i].substring(0, colon).trim().toLowerCase(Locale.ROOT),
            lines[i].substring(colon + 1).trim());
      }
    }
    ByteArrayOutputStream body = new ByteArrayOutputStream();
    String length = headers.get("content-length");
    try {
      if (length != null) {
        byte[] b = in.readNBytes(Integer.parseInt(length));
        body.write(b);
      } else if (!"chunked".equalsIgnoreCase(headers.get("transfer-encoding"))) {
        in.transferTo(body);
      }
    } catch (SocketTimeoutException e) {
      // keep what arrived
    }
    return new Reply(status, headers, body.toString(StandardCharsets.UTF_8));
  }

  /** Whether the peer closed {@code s} within {@code millis} (a read returns -1 or fails). */
  static boolean closedWithin(Socket s, long millis) throws IOException {
    s.setSoTimeout((int) millis);
    long deadline = System.nanoTime() + millis * 1_000_000;
    try {
      while (System.nanoTime() < deadline) {
        if (s.getInputStream().read() < 0) {
          return true;
        }
      }
      return false;
    } catch (SocketTimeoutException e) {
      return false;
    } catch (IOException e) {
      return true; // reset
    }
  }

  /** Whether nothing at all (no byte, no close) arrives on {@code s} within {@code millis}. */
  static boolean silentFor(Socket s, long millis) throws IOException {
    s.setSoTimeout((int) millis);
    try {
      s.getInputStream().read();
      return false;
    } catch (SocketTimeoutException e) {
      return true;
    }
  }
}

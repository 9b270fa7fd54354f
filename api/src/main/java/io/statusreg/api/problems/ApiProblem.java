package io.statusreg.api.problems;

import java.util.Map;

/**
 * Thrown by handlers to answer with a problem document. The detail is shown to the client, so it
 * must describe the client's request, never internals.
 */
public final class ApiProblem extends RuntimeException {
  private final ProblemKind kind;
  private final Map<String, String> headers;

  public ApiProblem(ProblemKind kind, String detail) {
    this(kind, detail, Map.of());
  }

  public ApiProblem(ProblemKind kind, String detail, Map<String, String> headers) {
    super(detail, null, false, false);
    this.kind = kind;
    this.headers = Map.copyOf(headers);
  }

  public ProblemKind kind() {
    return kind;
  }

  public String detail() {
    return getMessage();
  }

  public Map<String, String> headers() {
    return headers;
  }
}

package io.statusreg.kraft.internal;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;

/** One combined broker+controller node, in this JVM or in a process of its own. */
public sealed interface KraftNode permits InProcessNode, ProcessNode {

  int nodeId();

  /**
   * Starts the node. An in-process node returns once Kafka's own start-up returned (the broker has
   * caught up with the metadata log); a process node returns once the process is launched.
   */
  void start();

  /** Stops cleanly and waits up to {@code timeout}; then gives up (in-process) or kills. */
  void stop(Duration timeout);

  /** Stops abruptly: SIGKILL for a process, the fastest clean stop in this JVM. */
  void kill();

  boolean isRunning();

  /** Why the node died on its own (a process that exited), empty while it runs or was stopped. */
  Optional<String> failure();

  /** Kafka's data directory ({@code log.dirs}) of this node. */
  Path logDir();

  /** Where this node's log lines go, for error messages. */
  String logHint();
}

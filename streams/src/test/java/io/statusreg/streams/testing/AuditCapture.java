package io.statusreg.streams.testing;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.AppenderBase;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.slf4j.LoggerFactory;

/** Captures the lines of the {@code statusreg.audit} logger (or of another logger) while open. */
public final class AuditCapture extends AppenderBase<ILoggingEvent> implements AutoCloseable {
  private final Logger logger;
  private final List<String> lines = new CopyOnWriteArrayList<>();
  private final Level level;

  /** Attaches to the audit logger, at INFO whatever the test configuration says. */
  public AuditCapture() {
    this("statusreg.audit");
  }

  /** Attaches to the logger {@code name}, at INFO whatever the test configuration says. */
  public AuditCapture(String name) {
    logger = (Logger) LoggerFactory.getLogger(name);
    setName("capture-" + name);
    setContext(logger.getLoggerContext());
    start();
    level = logger.getLevel();
    logger.setLevel(Level.INFO);
    logger.addAppender(this);
  }

  @Override
  protected void append(ILoggingEvent event) {
    lines.add(event.getFormattedMessage());
  }

  /** The lines so far, in order. */
  public List<String> lines() {
    return List.copyOf(lines);
  }

  public void clear() {
    lines.clear();
  }

  @Override
  public void close() {
    logger.detachAppender(this);
    logger.setLevel(level);
    stop();
  }
}

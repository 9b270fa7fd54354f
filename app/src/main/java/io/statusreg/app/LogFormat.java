package io.statusreg.app;

import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.joran.JoranConfigurator;
import ch.qos.logback.core.joran.spi.JoranException;
import io.statusreg.registry.config.Setting;
import io.statusreg.registry.config.Settings;
import java.net.URL;
import java.util.Set;
import org.slf4j.LoggerFactory;

/**
 * The {@code log.format} setting: {@code text} or {@code json} (one object per line, logback's
 * {@code JsonEncoder}) for the application log on standard output and the audit trail on standard
 * error. {@code logback.xml} reads {@code STATUSREG_LOG_FORMAT} itself at start-up; when the
 * setting comes from elsewhere (a {@code --config} file) {@link #apply} re-applies {@code
 * logback.xml} with it. A logging configuration of the operator's own ({@code
 * -Dlogback.configurationFile}) is left as it is.
 */
final class LogFormat {
  static final String VARIABLE = "STATUSREG_LOG_FORMAT";

  static final Setting<String> LOG_FORMAT =
      new Setting<>(
          "log.format",
          "text",
          "format of the application log (stdout) and the audit log (stderr): text or json (one"
              + " object per line)",
          s -> s,
          Set.of("text", "json")::contains,
          "text or json",
          false);

  private LogFormat() {}

  /** Validates {@code log.format} and switches logback to it when it differs from the start's. */
  static void apply(Settings settings) {
    String wanted = settings.get(LOG_FORMAT);
    if (!(LoggerFactory.getILoggerFactory() instanceof LoggerContext context)) {
      return;
    }
    String current = context.getProperty(VARIABLE);
    if (current == null) {
      // Not statusreg's logback.xml (which defines the property) but the operator's own
      // configuration (-Dlogback.configurationFile): it decides the format, and re-applying
      // ours would silently replace it (the chaos harness's instances lost their coordinator
      // log lines that way).
      if (!wanted.equals(LOG_FORMAT.defaultValue())) {
        LoggerFactory.getLogger(LogFormat.class)
            .warn(
                "log.format={} ignored: logging is configured by {} (not statusreg's logback.xml)",
                wanted,
                System.getProperty("logback.configurationFile", "another logback configuration"));
      }
      return;
    }
    if (wanted.equals(current)) {
      return;
    }
    URL config = LogFormat.class.getResource("/logback.xml");
    if (config == null) {
      return; // a test configuration is in charge
    }
    context.reset();
    context.putProperty(VARIABLE, wanted);
    JoranConfigurator configurator = new JoranConfigurator();
    configurator.setContext(context);
    try {
      configurator.doConfigure(config);
    } catch (JoranException e) {
      throw new IllegalStateException("re-applying logback.xml with log.format=" + wanted, e);
    }
  }
}

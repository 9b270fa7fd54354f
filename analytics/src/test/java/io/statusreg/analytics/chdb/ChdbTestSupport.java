package io.statusreg.analytics.chdb;

import static org.assertj.core.api.Assertions.fail;

import java.nio.file.Path;

/** Gets libchdb.so for tests, fetching it on a fresh machine; fails with the reason otherwise. */
final class ChdbTestSupport {

  private ChdbTestSupport() {}

  static Path library() {
    return switch (ChdbLibrary.locateOrFetch()) {
      case ChdbLibrary.Found found -> found.library();
      case ChdbLibrary.Missing missing -> fail("no chDB engine: " + missing.explanation());
    };
  }
}

package io.statusreg.analytics.schema;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * The DDL migrations shipped in this module: {@code migrations/V<n>__<name>.sql} on the class path,
 * listed in {@code migrations/index} (so they can be read from a jar without scanning it). Versions
 * start at 1 and have no gaps.
 */
public final class Migrations {
  /** Class-path folder of the migration files. */
  public static final String FOLDER = "migrations/";

  private Migrations() {}

  /** The migrations of this build, ordered by version. */
  public static List<Migration> builtIn() {
    String index = read(FOLDER + "index");
    List<Migration> all = new ArrayList<>();
    for (String line : index.split("\n")) {
      String file = line.strip();
      if (!file.isEmpty() && !file.startsWith("#")) {
        all.add(Migration.of(file, read(FOLDER + file)));
      }
    }
    return ordered(all);
  }

  /** Sorts by version and checks that versions run 1, 2, 3... without gaps or repeats. */
  public static List<Migration> ordered(List<Migration> migrations) {
    List<Migration> sorted = new ArrayList<>(migrations);
    sorted.sort(Comparator.comparingInt(Migration::version));
    for (int i = 0; i < sorted.size(); i++) {
      if (sorted.get(i).version() != i + 1) {
        throw new MigrationException(
            "migration versions must run 1, 2, 3... without gaps or repeats; found "
                + sorted.get(i).fileName()
                + " where V"
                + (i + 1)
                + " was expected");
      }
    }
    return List.copyOf(sorted);
  }

  private static String read(String resource) {
    try (InputStream in = Migrations.class.getClassLoader().getResourceAsStream(resource)) {
      if (in == null) {
        throw new MigrationException("missing class-path resource " + resource);
      }
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new MigrationException("reading " + resource, e);
    }
  }
}

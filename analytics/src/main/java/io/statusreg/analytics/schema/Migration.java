package io.statusreg.analytics.schema;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Objects;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * One versioned DDL file {@code V<version>__<name>.sql}: its text, the statements in it (separated
 * by a {@code ;} at the end of a line) and the SHA-256 of its text, recorded when it is applied.
 */
public record Migration(int version, String name, String sql) {
  private static final Pattern FILE_NAME =
      Pattern.compile("V([1-9][0-9]{0,5})__([a-z0-9_]+)\\.sql");

  public Migration {
    Objects.requireNonNull(name, "name");
    Objects.requireNonNull(sql, "sql");
    if (version < 1) {
      throw new IllegalArgumentException("migration version must be at least 1, was " + version);
    }
  }

  /** Parses {@code V3__list_publications.sql} with its text. */
  public static Migration of(String fileName, String sql) {
    Matcher m = FILE_NAME.matcher(fileName);
    if (!m.matches()) {
      throw new MigrationException(
          "migration file name must look like V1__some_name.sql, got '" + fileName + "'");
    }
    return new Migration(Integer.parseInt(m.group(1)), m.group(2), sql);
  }

  public String fileName() {
    return "V" + version + "__" + name + ".sql";
  }

  /** Hex SHA-256 of the file's text with line endings normalised to {@code \n}. */
  public String checksum() {
    try {
      byte[] digest =
          MessageDigest.getInstance("SHA-256")
              .digest(sql.replace("\r\n", "\n").getBytes(StandardCharsets.UTF_8));
      return HexFormat.of().formatHex(digest);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is missing from this JVM", e);
    }
  }

  /** The statements of the file without comment lines, in order. */
  public List<String> statements() {
    List<String> out = new ArrayList<>();
    StringBuilder current = new StringBuilder();
    for (String line : sql.replace("\r\n", "\n").split("\n")) {
      String trimmed = line.strip();
      if (trimmed.isEmpty() || trimmed.startsWith("--")) {
        continue;
      }
      if (trimmed.endsWith(";")) {
        current.append(line, 0, line.lastIndexOf(';'));
        add(out, current);
      } else {
        current.append(line).append('\n');
      }
    }
    add(out, current);
    return out;
  }

  private static void add(List<String> out, StringBuilder statement) {
    String s = statement.toString().strip();
    if (!s.isEmpty()) {
      out.add(s);
    }
    statement.setLength(0);
  }
}

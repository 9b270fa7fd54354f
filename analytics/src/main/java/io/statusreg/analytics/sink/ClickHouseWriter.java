package io.statusreg.analytics.sink;

import io.statusreg.common.wire.PublishedToken;
import io.statusreg.registry.events.IdentifierRevoked;
import io.statusreg.registry.events.IndexesAllocated;
import io.statusreg.registry.events.ListCreated;
import io.statusreg.registry.events.ListFull;
import io.statusreg.registry.events.ListRetired;
import io.statusreg.registry.events.RegistryEvent;
import io.statusreg.registry.events.StatusChanged;
import io.statusreg.registry.identifiers.ListKind;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.sql.Types;
import java.time.Instant;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;

/**
 * Writes a batch of records into {@code status_events}, {@code list_events} and {@code
 * list_publications} with one PreparedStatement batch per table. Keeps one connection and drops it
 * after a failure, so the next attempt starts afresh.
 */
final class ClickHouseWriter implements AutoCloseable {
  static final String STATUS_EVENTS = "status_events";
  static final String LIST_EVENTS = "list_events";
  static final String LIST_PUBLICATIONS = "list_publications";

  private static final String INSERT_STATUS =
      "INSERT INTO status_events (event_time, issuer, list, idx, old_status, new_status, reason,"
          + " actor_kind, actor, event_id, kafka_partition, kafka_offset, ingested_at, list_kind,"
          + " identifier)"
          + " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)";
  private static final String INSERT_LIST =
      "INSERT INTO list_events (event_time, issuer, list, event_type, bits, size, purpose,"
          + " ttl_seconds, validity_seconds, from_cursor, allocated, cursor, actor_kind, actor,"
          + " event_id, kafka_partition, kafka_offset, ingested_at, list_kind)"
          + " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)";
  private static final String INSERT_PUBLICATION =
      "INSERT INTO list_publications (list, issuer, version, published_at, expires_at,"
          + " ttl_seconds, bits, entries, allocated, valid, revoked, suspended, other, jwt_bytes,"
          + " cwt_bytes, w3c_bytes, kid, oldest_change_at, lag_ms, kafka_partition, kafka_offset,"
          + " ingested_at, list_kind)"
          + " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)";

  /** A decoded record with its coordinates. */
  record Row(int partition, long offset, Object value, String topic) {}

  private final String jdbcUrl;
  private final Properties properties;
  private Connection connection;

  ClickHouseWriter(String jdbcUrl, Properties properties) {
    this.jdbcUrl = jdbcUrl;
    this.properties = properties;
  }

  Connection connection() throws SQLException {
    if (connection == null) {
      connection = DriverManager.getConnection(jdbcUrl, properties);
    }
    return connection;
  }

  /**
   * Inserts every row; returns rows per table. On failure the connection is dropped and the
   * exception rethrown; part of the batch may be in ClickHouse already (the retry duplicates it,
   * and duplicates collapse on their key).
   */
  Map<String, Integer> write(List<Row> rows, Instant ingestedAt) throws SQLException {
    Map<String, Integer> counts = new LinkedHashMap<>();
    try {
      Connection c = connection();
      Timestamp ingested = Timestamp.from(ingestedAt);
      try (PreparedStatement status = c.prepareStatement(INSERT_STATUS);
          PreparedStatement list = c.prepareStatement(INSERT_LIST);
          PreparedStatement publication = c.prepareStatement(INSERT_PUBLICATION)) {
        int statusRows = 0;
        int listRows = 0;
        int publicationRows = 0;
        for (Row row : rows) {
          switch (row.value()) {
            case StatusChanged e -> {
              bindStatus(status, e, row, ingested);
              status.addBatch();
              statusRows++;
            }
            case IdentifierRevoked e -> {
              bindRevokedIdentifier(status, e, row, ingested);
              status.addBatch();
              statusRows++;
            }
            case RegistryEvent e -> {
              bindList(list, e, row, ingested);
              list.addBatch();
              listRows++;
            }
            case PublishedToken t -> {
              bindPublication(publication, t, row, ingested);
              publication.addBatch();
              publicationRows++;
            }
            default -> throw new IllegalArgumentException("cannot write " + row.value().getClass());
          }
        }
        if (statusRows > 0) {
          status.executeBatch();
        }
        counts.put(STATUS_EVENTS, statusRows);
        if (listRows > 0) {
          list.executeBatch();
        }
        counts.put(LIST_EVENTS, listRows);
        if (publicationRows > 0) {
          publication.executeBatch();
        }
        counts.put(LIST_PUBLICATIONS, publicationRows);
      }
      return counts;
    } catch (SQLException | RuntimeException e) {
      dropConnection();
      throw e;
    }
  }

  private static void bindStatus(PreparedStatement p, StatusChanged e, Row row, Timestamp ingested)
      throws SQLException {
    bindStatusRow(
        p, e, e.idx(), e.previous().code(), e.status().code(), e.reason().code(), row, ingested);
    p.setString(14, ListKind.STATUS_LIST.code());
    p.setString(15, "");
  }

  /**
   * A revoked identifier of an identifier list (ISO/IEC 18013-5) is a status change of its slot
   * from 0 (valid) to 1 (revoked), so the revocation queries count both kinds of list.
   */
  private static void bindRevokedIdentifier(
      PreparedStatement p, IdentifierRevoked e, Row row, Timestamp ingested) throws SQLException {
    bindStatusRow(p, e, e.slot(), 0, 1, e.reason().code(), row, ingested);
    p.setString(14, ListKind.IDENTIFIER_LIST.code());
    p.setString(15, HexFormat.of().formatHex(e.identifier()));
  }

  /** One row of {@code status_events}: the event's common columns and its entry's change. */
  private static void bindStatusRow(
      PreparedStatement p,
      RegistryEvent e,
      long idx,
      int previous,
      int status,
      String reason,
      Row row,
      Timestamp ingested)
      throws SQLException {
    p.setTimestamp(1, Timestamp.from(e.at()));
    p.setString(2, e.listId().issuer().value());
    p.setString(3, e.listId().key());
    p.setLong(4, idx);
    p.setInt(5, previous);
    p.setInt(6, status);
    p.setString(7, reason);
    p.setString(8, e.actor().kind().code());
    p.setString(9, e.actor().subject());
    p.setString(10, e.id().toString());
    p.setInt(11, row.partition());
    p.setLong(12, row.offset());
    p.setTimestamp(13, ingested);
  }

  private static void bindList(PreparedStatement p, RegistryEvent e, Row row, Timestamp ingested)
      throws SQLException {
    int bits = 0;
    long size = 0;
    String purpose = "";
    long ttl = 0;
    long validity = 0;
    long from = 0;
    int allocated = 0;
    long cursor = 0;
    String type;
    String kind = "";
    switch (e) {
      case ListCreated c -> {
        type = "list_created";
        kind = c.kind().code();
        bits = c.bits();
        size = c.size();
        purpose = c.purpose().code();
        ttl = c.ttl().toSeconds();
        validity = c.validity().toSeconds();
      }
      case IndexesAllocated a -> {
        type = "indexes_allocated";
        from = a.fromCursor();
        allocated = a.count();
        cursor = a.fromCursor() + a.count();
      }
      case ListFull f -> {
        type = "list_full";
        cursor = f.cursor();
      }
      case ListRetired r -> type = "list_retired";
      case StatusChanged s -> throw new IllegalArgumentException("status changes go elsewhere");
      case IdentifierRevoked s ->
          throw new IllegalArgumentException("revoked identifiers go elsewhere");
    }
    p.setTimestamp(1, Timestamp.from(e.at()));
    p.setString(2, e.listId().issuer().value());
    p.setString(3, e.listId().key());
    p.setString(4, type);
    p.setInt(5, bits);
    p.setLong(6, size);
    p.setString(7, purpose);
    p.setLong(8, ttl);
    p.setLong(9, validity);
    p.setLong(10, from);
    p.setLong(11, allocated);
    p.setLong(12, cursor);
    p.setString(13, e.actor().kind().code());
    p.setString(14, e.actor().subject());
    p.setString(15, e.id().toString());
    p.setInt(16, row.partition());
    p.setLong(17, row.offset());
    p.setTimestamp(18, ingested);
    p.setString(19, kind);
  }

  private static void bindPublication(
      PreparedStatement p, PublishedToken t, Row row, Timestamp ingested) throws SQLException {
    long[] counts = t.counts();
    long valid = counts.length > 0 ? counts[0] : 0;
    long revoked = counts.length > 1 ? counts[1] : 0;
    long suspended = counts.length > 2 ? counts[2] : 0;
    long other = 0;
    for (int i = 3; i < counts.length; i++) {
      other += counts[i];
    }
    p.setString(1, t.listId().key());
    p.setString(2, t.listId().issuer().value());
    p.setLong(3, t.version());
    p.setTimestamp(4, Timestamp.from(t.issuedAt()));
    p.setTimestamp(5, Timestamp.from(t.expiresAt()));
    p.setLong(6, t.ttl().toSeconds());
    p.setInt(7, t.bits());
    p.setLong(8, t.size());
    p.setLong(9, t.allocated());
    p.setLong(10, valid);
    p.setLong(11, revoked);
    p.setLong(12, suspended);
    p.setLong(13, other);
    p.setLong(14, t.jwt().length);
    p.setLong(15, t.cwt().length);
    p.setLong(16, t.w3c().length);
    p.setString(17, t.kid());
    if (t.oldestChangeAt() == null) {
      p.setNull(18, Types.TIMESTAMP);
      p.setNull(19, Types.BIGINT);
    } else {
      p.setTimestamp(18, Timestamp.from(t.oldestChangeAt()));
      p.setLong(19, t.issuedAt().toEpochMilli() - t.oldestChangeAt().toEpochMilli());
    }
    p.setInt(20, row.partition());
    p.setLong(21, row.offset());
    p.setTimestamp(22, ingested);
    p.setString(
        23, (t.isIdentifierList() ? ListKind.IDENTIFIER_LIST : ListKind.STATUS_LIST).code());
  }

  private void dropConnection() {
    if (connection != null) {
      try {
        connection.close();
      } catch (SQLException ignored) {
        // the connection is being thrown away after a failure
      }
      connection = null;
    }
  }

  @Override
  public void close() {
    dropConnection();
  }
}

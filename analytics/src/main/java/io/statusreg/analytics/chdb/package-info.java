/**
 * A real ClickHouse engine on this machine for development and tests: chDB (ClickHouse as a
 * library) called through java.lang.foreign ({@link io.statusreg.analytics.chdb.Chdb}), a
 * ClickHouse-compatible HTTP endpoint over it for the unmodified clickhouse-jdbc driver ({@link
 * io.statusreg.analytics.chdb.ChdbHttpServer}), and {@link
 * io.statusreg.analytics.chdb.LocalClickHouse}, which finds or fetches the library and starts both.
 * Production points the same driver at a real ClickHouse cluster instead.
 */
package io.statusreg.analytics.chdb;

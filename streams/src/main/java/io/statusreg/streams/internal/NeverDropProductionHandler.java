package io.statusreg.streams.internal;

import java.util.Map;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.errors.RetriableException;
import org.apache.kafka.streams.errors.ErrorHandlerContext;
import org.apache.kafka.streams.errors.ProductionExceptionHandler;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The production error policy of a registry node: never drop a record. Every record the topology
 * writes is a reply a caller waits for, an event (the source of truth), a changelog entry or a
 * published token; skipping one under exactly_once_v2 would commit a transaction without it. A
 * retriable error is retried; anything else fails the task (its transaction is aborted and the
 * stream thread is replaced by {@link StreamFailures}, which also makes a repeated failure visible
 * on the liveness probe). The log names the topic, the record's size and the error.
 */
public final class NeverDropProductionHandler implements ProductionExceptionHandler {
  private static final Logger log = LoggerFactory.getLogger(NeverDropProductionHandler.class);

  @Override
  public Response handleError(
      ErrorHandlerContext context, ProducerRecord<byte[], byte[]> record, Exception exception) {
    if (exception instanceof RetriableException) {
      log.warn("retrying a record to {}: {}", topic(record), exception.toString());
      return Response.retry();
    }
    log.error(
        "could not write a record to {} ({} bytes) for task {}: failing the task rather than"
            + " dropping it",
        topic(record),
        size(record),
        context == null ? "?" : context.taskId(),
        exception);
    return Response.fail();
  }

  @Override
  @SuppressWarnings("rawtypes")
  public Response handleSerializationError(
      ErrorHandlerContext context,
      ProducerRecord record,
      Exception exception,
      SerializationExceptionOrigin origin) {
    log.error(
        "could not serialize a record ({}) for {}: failing the task rather than dropping it",
        origin,
        record == null ? "?" : record.topic(),
        exception);
    return Response.fail();
  }

  @Override
  public void configure(Map<String, ?> configs) {}

  private static String topic(ProducerRecord<byte[], byte[]> record) {
    return record == null ? "?" : record.topic();
  }

  private static int size(ProducerRecord<byte[], byte[]> record) {
    if (record == null) {
      return -1;
    }
    return (record.key() == null ? 0 : record.key().length)
        + (record.value() == null ? 0 : record.value().length);
  }
}

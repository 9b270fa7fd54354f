package io.statusreg.kraft;

/** A Kafka cluster could not be prepared, started, stopped or reached. */
public class KafkaClusterException extends RuntimeException {
  public KafkaClusterException(String message) {
    super(message);
  }

  public KafkaClusterException(String message, Throwable cause) {
    super(message, cause);
  }
}

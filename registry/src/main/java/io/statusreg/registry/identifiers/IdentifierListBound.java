package io.statusreg.registry.identifiers;

/**
 * How many identifiers one identifier list may hold, so that its token always fits one record of
 * {@code statusreg.tokens}: every revoked identifier takes {@value
 * IdentifierListEncoding#ENTRY_BYTES} bytes of the token, and the record may be at most {@code
 * record.max.bytes} (the topic's {@code max.message.bytes} and the producers' {@code
 * max.request.size}).
 *
 * <p>The bound keeps {@value #RESERVED_BYTES} bytes of the record for everything that is not the
 * identifiers map: the COSE headers with an {@code x5chain} of up to {@value #MAX_CHAIN_BYTES}
 * bytes (checked at start-up), {@code sub}, the other claims, the signature, the token record's own
 * fields (list key, URI, kid, ETag) and Kafka's record and batch overhead. With the default 16 MiB
 * that is {@code (16,777,216 - 524,288) / 18 = 902,940} identifiers per list; with the smallest
 * allowed record (1 MiB) 29,127.
 */
public final class IdentifierListBound {
  /** Bytes of a token record kept for everything but the identifiers map. */
  public static final int RESERVED_BYTES = 512 * 1024;

  /** Largest {@code x5chain} (the DER of every certificate together) a signing key may carry. */
  public static final int MAX_CHAIN_BYTES = 256 * 1024;

  /** The default {@code record.max.bytes}, as {@code common}'s topic catalogue sets it. */
  public static final int DEFAULT_RECORD_MAX_BYTES = 16 * 1024 * 1024;

  private IdentifierListBound() {}

  /** The most identifiers a list may hold when a record may be {@code recordMaxBytes} long. */
  public static long maxIdentifiers(int recordMaxBytes) {
    if (recordMaxBytes <= RESERVED_BYTES) {
      throw new IllegalArgumentException(
          "record.max.bytes must exceed " + RESERVED_BYTES + ", got " + recordMaxBytes);
    }
    return (recordMaxBytes - RESERVED_BYTES) / IdentifierListEncoding.ENTRY_BYTES;
  }
}

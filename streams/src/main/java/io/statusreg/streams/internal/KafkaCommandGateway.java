package io.statusreg.streams.internal;

import io.statusreg.common.TopicCatalogue;
import io.statusreg.registry.ListId;
import io.statusreg.registry.RegistryException;
import io.statusreg.registry.fold.RegistryCommand;
import io.statusreg.streams.gateway.CommandGateway;
import io.statusreg.streams.gateway.CommandGateway.OwnerFault;
import io.statusreg.streams.gateway.CommandGateway.Refused;
import io.statusreg.streams.serde.Reply;
import io.statusreg.streams.serde.ReplySerde;
import io.statusreg.streams.serde.Request;
import io.statusreg.streams.serde.RequestSerde;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.WakeupException;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@link CommandGateway} over Kafka: an idempotent {@code acks=all} producer writes each request to
 * {@code statusreg.commands} (key = list key; headers {@code request-id}, {@code reply-to}), and
 * one thread reads {@code statusreg.replies} ({@code read_uncommitted}, every partition, from the
 * end at start) and completes the waiting future by request id. A reply is read as soon as the
 * owner has decided the command, before the owner's transaction commits: the command is durable in
 * {@code statusreg.commands}, and a decision is a function of the commands before it in the
 * partition, so an owner that loses its transaction decides the same commands again to the same
 * reply (streams/README.md, "Acknowledged once decided"); a second reply for a request is ignored.
 * The request id names the replies partition of the command's own partition ({@link
 * ReplyPartitions}); every partition is read all the same, for owners of an earlier release that
 * partition replies by key. A future not answered within the command timeout completes with {@link
 * java.util.concurrent.TimeoutException}; a retry with the same command id is answered from the
 * owner's dedup store.
 */
public final class KafkaCommandGateway implements CommandGateway, AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(KafkaCommandGateway.class);

  private final String instanceId;
  private final Duration timeout;
  private final KafkaProducer<byte[], byte[]> producer;
  private final KafkaConsumer<byte[], byte[]> consumer;
  private final Map<String, CompletableFuture<Reply>> pending = new ConcurrentHashMap<>();
  private final Thread poller;
  private final int commandPartitions;
  private volatile boolean running = true;

  public KafkaCommandGateway(
      String bootstrapServers,
      String instanceId,
      Duration timeout,
      Map<String, Object> clientOverrides) {
    this.instanceId = instanceId;
    this.timeout = timeout;
    Map<String, Object> p = new HashMap<>(clientOverrides);
    p.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
    p.put(ProducerConfig.CLIENT_ID_CONFIG, "statusreg-gateway-" + instanceId);
    p.put(ProducerConfig.ACKS_CONFIG, "all");
    p.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true);
    p.put(ProducerConfig.LINGER_MS_CONFIG, 1);
    p.put(ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG, (int) Math.max(timeout.toMillis(), 2_000));
    p.put(ProducerConfig.REQUEST_TIMEOUT_MS_CONFIG, (int) Math.max(timeout.toMillis() - 1, 1_000));
    producer = new KafkaProducer<>(p, new ByteArraySerializer(), new ByteArraySerializer());

    Map<String, Object> c = new HashMap<>(clientOverrides);
    c.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
    c.put(ConsumerConfig.CLIENT_ID_CONFIG, "statusreg-replies-" + instanceId);
    // Not read_committed: a reply waited for its owner's commit (the rest of commit.interval.ms
    // plus the commit), 218 ms p50 for a single PUT against 14 ms (bench/results/2026-12-02-ack).
    c.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_uncommitted");
    c.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
    c.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "latest");
    c.put(ConsumerConfig.FETCH_MAX_WAIT_MS_CONFIG, 50);
    consumer = new KafkaConsumer<>(c, new ByteArrayDeserializer(), new ByteArrayDeserializer());
    try {
      List<TopicPartition> partitions = new ArrayList<>();
      for (PartitionInfo info : partitionsOf(consumer, TopicCatalogue.REPLIES)) {
        partitions.add(new TopicPartition(info.topic(), info.partition()));
      }
      commandPartitions = partitionsOf(consumer, TopicCatalogue.COMMANDS).size();
      consumer.assign(partitions);
      consumer.seekToEnd(partitions);
      for (TopicPartition tp : partitions) {
        consumer.position(tp, Duration.ofSeconds(30)); // fixes the start before any request
      }
    } catch (RuntimeException e) {
      consumer.close(Duration.ZERO);
      producer.close(Duration.ZERO);
      throw e;
    }
    poller =
        Thread.ofPlatform().name("statusreg-replies-" + instanceId).daemon().unstarted(this::poll);
    poller.start();
  }

  private static List<PartitionInfo> partitionsOf(KafkaConsumer<?, ?> consumer, String topic) {
    List<PartitionInfo> infos = consumer.partitionsFor(topic, Duration.ofSeconds(30));
    if (infos == null || infos.isEmpty()) {
      throw new RegistryException("topic " + topic + " does not exist: create the topics first");
    }
    return infos;
  }

  @Override
  public CompletableFuture<Outcome> submit(RegistryCommand command) {
    return send(new Request.Decide(command))
        .thenApply(
            reply ->
                switch (reply) {
                  case Reply.Decided d -> ownOutcome(command, d.outcome());
                  // expand refuses a reply made for other changes than the command's
                  case Reply.ChangesAccepted c
                      when command instanceof RegistryCommand.ChangeStatus changes ->
                      ownOutcome(command, CompactChanges.expand(c, changes));
                  case Reply.ChangesAccepted c ->
                      throw new RegistryException(
                          "a status-change reply that is not this command's");
                  case Reply.Failed f -> throw new Refused(f.message());
                  case Reply.OwnerFault f -> throw new OwnerFault();
                  case Reply.Entry e ->
                      throw new RegistryException("unexpected entry reply to a command");
                });
  }

  @Override
  public CompletableFuture<Optional<EntryView>> entry(ListId list, long idx) {
    return send(new Request.ReadEntry(list, idx))
        .thenApply(
            reply ->
                switch (reply) {
                  case Reply.Entry e -> {
                    if (e.view().isPresent() && !e.view().get().list().equals(list)) {
                      throw new RegistryException("an entry reply for another list");
                    }
                    yield e.view();
                  }
                  case Reply.Failed f -> throw new Refused(f.message());
                  case Reply.OwnerFault f -> throw new OwnerFault();
                  case Reply.Decided d ->
                      throw new RegistryException("unexpected outcome reply to a read");
                  case Reply.ChangesAccepted c ->
                      throw new RegistryException("unexpected outcome reply to a read");
                });
  }

  /**
   * The outcome, when it is this command's: a reply naming another list (which could only come from
   * a mix-up of ids) is never handed to the caller, since it may be another issuer's.
   */
  private static Outcome ownOutcome(RegistryCommand command, Outcome outcome) {
    if (outcome.meta().isPresent() && !outcome.meta().get().listId().equals(command.listId())) {
      throw new RegistryException("a reply for another list than the command's");
    }
    return outcome;
  }

  private CompletableFuture<Reply> send(Request request) {
    if (!running) {
      return CompletableFuture.failedFuture(new IllegalStateException("gateway is closed"));
    }
    String requestId =
        ReplyPartitions.requestId(UUID.randomUUID(), request.listId().key(), commandPartitions);
    CompletableFuture<Reply> reply = new CompletableFuture<>();
    pending.put(requestId, reply);
    reply
        .orTimeout(timeout.toMillis(), TimeUnit.MILLISECONDS)
        .whenComplete((r, e) -> pending.remove(requestId));
    RecordHeaders headers = new RecordHeaders();
    headers.add(CommandProcessor.HEADER_REQUEST_ID, requestId.getBytes(StandardCharsets.UTF_8));
    headers.add(CommandProcessor.HEADER_REPLY_TO, instanceId.getBytes(StandardCharsets.UTF_8));
    try {
      producer.send(
          new ProducerRecord<>(
              TopicCatalogue.COMMANDS,
              null,
              request.listId().key().getBytes(StandardCharsets.UTF_8),
              RequestSerde.toBytes(request),
              headers),
          (metadata, error) -> {
            if (error != null) {
              reply.completeExceptionally(
                  new RegistryException("sending request to list " + request.listId(), error));
            }
          });
    } catch (RuntimeException e) {
      reply.completeExceptionally(
          new RegistryException("sending request to list " + request.listId(), e));
    }
    return reply;
  }

  private void poll() {
    try {
      while (running) {
        for (ConsumerRecord<byte[], byte[]> record : consumer.poll(Duration.ofMillis(200))) {
          if (record.key() == null) {
            continue;
          }
          CompletableFuture<Reply> waiting =
              pending.remove(new String(record.key(), StandardCharsets.UTF_8));
          if (waiting == null) {
            continue; // another instance's request, or one that timed out
          }
          try {
            waiting.complete(ReplySerde.fromBytes(record.value()));
          } catch (RuntimeException e) {
            waiting.completeExceptionally(e);
          }
        }
      }
    } catch (WakeupException e) {
      // closing
    } catch (RuntimeException e) {
      log.error("reply consumer of gateway {} stopped", instanceId, e);
    } finally {
      running = false;
      consumer.close(Duration.ofSeconds(5));
      IllegalStateException closed = new IllegalStateException("gateway closed");
      pending.values().forEach(f -> f.completeExceptionally(closed));
    }
  }

  /** Whether the reply consumer is running. */
  public boolean isRunning() {
    return running && poller.isAlive();
  }

  @Override
  public void close() {
    running = false;
    consumer.wakeup();
    try {
      poller.join(Duration.ofSeconds(10));
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    producer.close(Duration.ofSeconds(5));
  }
}

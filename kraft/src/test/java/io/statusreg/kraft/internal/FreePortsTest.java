package io.statusreg.kraft.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.statusreg.kraft.KafkaClusterException;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

/**
 * A listener added after the layout's ports were chosen and released never takes one of them (a CI
 * run met a mutual-TLS listener given the PLAINTEXT listener's port, and Kafka refused it).
 */
class FreePortsTest {
  @Test
  void aTakenPortTheKernelHandsOutAgainIsSkipped() {
    // as the kernel may do: the layout's just-released ports come back first
    java.util.Iterator<Integer> kernel = List.of(9092, 9093, 9092, 40001).iterator();
    assertThat(FreePorts.allocateExcept(Set.of(9092, 9093), kernel::next)).isEqualTo(40001);
  }

  @Test
  void aPortAllocatedBesideTakenOnesIsNoneOfThemAndFree() {
    Set<Integer> taken = new HashSet<>(FreePorts.allocate(20));
    int port = FreePorts.allocateExcept(taken);
    assertThat(taken).doesNotContain(port);
    assertThat(FreePorts.isFree(port)).isTrue();
  }

  @Test
  void whenEveryPortIsTakenItSaysSoInsteadOfReturningOne() {
    List<Integer> all = IntStream.rangeClosed(1, 65_535).boxed().toList();
    assertThatThrownBy(() -> FreePorts.allocateExcept(new HashSet<>(all)))
        .isInstanceOf(KafkaClusterException.class)
        .hasMessageContaining("no free loopback port");
  }
}

package io.statusreg.bench.micro;

import io.statusreg.registry.issuance.IndexPermutation;
import io.statusreg.registry.lists.StatusList;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;

/**
 * What one status change costs the fold, and what allocation costs per index: {@code
 * StatusList.with} (copy one 4 KiB page and the page table of a persistent list) and the keyed
 * Feistel permutation with cycle walking ({@code IndexPermutation.apply}), for list sizes from 1M
 * to 100M entries.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Fork(
    value = 1,
    jvmArgsAppend = {"-Xmx2g"})
public class PageUpdateBenchmark {

  @Param({"1000000", "10000000", "100000000"})
  long entries;

  @Param({"1", "2"})
  int bits;

  private StatusList list;
  private IndexPermutation permutation;
  private SplittableRandom random;
  private long cursor;

  @Setup(Level.Trial)
  public void setUp() {
    random = new SplittableRandom(42);
    list = StatusList.empty(bits, entries);
    for (int i = 0; i < 1000; i++) {
      list = list.with(random.nextLong(entries), 1);
    }
    permutation = new IndexPermutation(entries, new IndexPermutation.Key(7, 11));
  }

  /** One status change: a new persistent list sharing every page but one. */
  @Benchmark
  public StatusList pageUpdate() {
    return list.with(random.nextLong(entries), 1);
  }

  /** One allocation: cursor to index through the list's keyed permutation. */
  @Benchmark
  public long permutation() {
    cursor = cursor + 1 == entries ? 0 : cursor + 1;
    return permutation.apply(cursor);
  }
}

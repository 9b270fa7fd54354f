import io.statusreg.registry.ListId;
import io.statusreg.registry.events.EventCodec;
import io.statusreg.registry.events.RegistryEvent;
import io.statusreg.registry.fold.ListState;
import io.statusreg.registry.testing.EventGenerator;
import java.time.*;
import java.util.*;

/** ReplayBench's in-memory binary figures (decode; decode + ListState.Fold), 9 rounds each after a warm-up. */
public class DecodeProf {
  public static void main(String[] a) {
    int events = 300_000, lists = 10;
    var g = EventGenerator.seed(1).lists(lists).shape(1_000_000, 2).allocatePerList(events / lists)
        .statusChanges((long) (events / lists) * lists).maxBatch(20).revocationPercent(10)
        .start(Instant.parse("2026-01-01T00:00:00Z"), Duration.ofMillis(1)).generate();
    List<byte[]> in = new ArrayList<>();
    for (RegistryEvent e : g.events()) in.add(EventCodec.encode(e, EventCodec.Format.BINARY));
    double[] dec = new double[9], fold = new double[9];
    for (int r = 0; r < 10; r++) {
      long t0 = System.nanoTime();
      long h = 0;
      for (byte[] b : in) h += EventCodec.decode(b).at().toEpochMilli();
      long t1 = System.nanoTime();
      Map<ListId, ListState.Fold> folds = new HashMap<>();
      for (byte[] b : in) {
        RegistryEvent e = EventCodec.decode(b);
        folds.computeIfAbsent(e.listId(), k -> ListState.initial().fold()).apply(e);
      }
      long t2 = System.nanoTime();
      for (var f : folds.values()) h += f.state().meta().version();
      if (r > 0) { dec[r - 1] = in.size() / ((t1 - t0) / 1e9); fold[r - 1] = in.size() / ((t2 - t1) / 1e9); }
      if (h == 42) System.out.println(h);
    }
    Arrays.sort(dec); Arrays.sort(fold);
    System.out.printf("%s: binary decode median %,.0f events/s, binary decode+fold median %,.0f events/s (9 rounds after 1 warm-up)%n",
        a[0], dec[4], fold[4]);
  }
}

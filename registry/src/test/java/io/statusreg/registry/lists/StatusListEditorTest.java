package io.statusreg.registry.lists;

import static org.assertj.core.api.Assertions.assertThat;

import io.statusreg.registry.lists.StatusListPropertiesTest.Scenario;
import io.statusreg.registry.lists.StatusListPropertiesTest.Write;
import io.statusreg.registry.testing.Property;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** An editor gives what a chain of {@link StatusList#with} gives, and never changes a list. */
class StatusListEditorTest {

  @Test
  void anEditorAgreesWithWithAtEveryStepAndLeavesHandedOutListsAlone() {
    Property.forAll(
        "anEditorAgreesWithWith",
        300,
        StatusListPropertiesTest.scenarios(),
        (Scenario s) -> {
          StatusList persistent = StatusList.empty(s.bits(), s.size());
          StatusList.Editor editor = persistent.edit();
          List<StatusList> handedOut = new ArrayList<>();
          List<byte[]> handedOutBytes = new ArrayList<>();
          int step = 0;
          for (Write w : s.writes()) {
            persistent = persistent.with(w.index(), w.value());
            editor.set(w.index(), w.value());
            assertThat(editor.get(w.index())).isEqualTo(w.value());
            if (step++ % 7 == 3) {
              StatusList now = editor.list();
              handedOut.add(now);
              handedOutBytes.add(now.toBytes());
              assertThat(now).isEqualTo(persistent);
            }
          }

          StatusList edited = editor.list();
          assertThat(edited).isEqualTo(persistent);
          assertThat(edited.toBytes()).isEqualTo(persistent.toBytes());
          for (int p = 0; p < edited.pageCount(); p++) {
            assertThat(edited.hasPage(p)).as("page %d", p).isEqualTo(persistent.hasPage(p));
          }
          for (int i = 0; i < handedOut.size(); i++) {
            assertThat(handedOut.get(i).toBytes()).isEqualTo(handedOutBytes.get(i));
          }
        });
  }

  @Test
  void theStartingListNeverChangesAndAnUnwrittenEditorGivesItBack() {
    StatusList start = StatusList.empty(2, 100_000).with(5, 1).with(70_000, 2);
    byte[] before = start.toBytes();
    StatusList.Editor editor = start.edit();

    assertThat(editor.list()).isSameAs(start);

    editor.set(5, 3);
    editor.set(6, 1);
    editor.set(70_000, 0);
    StatusList edited = editor.list();

    assertThat(start.toBytes()).isEqualTo(before);
    assertThat(edited.get(5)).isEqualTo(3);
    assertThat(edited.get(70_000)).isZero();
    assertThat(edited.hasPage(edited.pageOf(70_000))).isFalse();
    editor.set(5, 0);
    assertThat(edited.get(5)).as("a list handed out before a later write").isEqualTo(3);
  }

  @Test
  void aPagePutIntoAnEditorIsWhatWithPageGivesAndTheCallersBytesNeverChange() {
    int perPage = StatusList.PAGE_BYTES * 4; // entries of 2 bits per page
    StatusList start = StatusList.empty(2, 3L * perPage).with(1, 2);
    byte[] stored = start.with(perPage + 9, 1).with(perPage + 10, 3).page(1);
    byte[] storedBefore = stored.clone();
    StatusList.Editor editor = start.edit();

    editor.putPage(1, stored);
    assertThat(editor.get(perPage + 10)).isEqualTo(3);
    StatusList handedOut = editor.list();
    assertThat(handedOut).isEqualTo(start.withPage(1, stored));
    editor.set(perPage + 9, 0);
    editor.putPage(2, new byte[StatusList.PAGE_BYTES]); // all zeros: no page

    assertThat(stored).isEqualTo(storedBefore);
    assertThat(handedOut.get(perPage + 9)).isEqualTo(1);
    StatusList edited = editor.list();
    assertThat(edited).isEqualTo(start.withPage(1, stored).with(perPage + 9, 0));
    assertThat(edited.hasPage(2)).isFalse();
    assertThat(start.hasPage(1)).isFalse();
  }

  @Test
  void aPutPageIsCheckedAsWithPageChecksIt() {
    StatusList list = StatusList.empty(1, 100);
    byte[] padded = new byte[StatusList.PAGE_BYTES];
    padded[StatusList.PAGE_BYTES - 1] = 1; // beyond entry 99
    org.assertj.core.api.Assertions.assertThatThrownBy(() -> list.edit().putPage(0, padded))
        .isInstanceOf(io.statusreg.registry.RegistryException.InvalidInput.class);
    org.assertj.core.api.Assertions.assertThatThrownBy(() -> list.edit().putPage(0, new byte[10]))
        .isInstanceOf(io.statusreg.registry.RegistryException.InvalidInput.class);
    org.assertj.core.api.Assertions.assertThatThrownBy(
            () -> list.edit().putPage(1, new byte[StatusList.PAGE_BYTES]))
        .isInstanceOf(io.statusreg.registry.RegistryException.InvalidInput.class);
  }
}

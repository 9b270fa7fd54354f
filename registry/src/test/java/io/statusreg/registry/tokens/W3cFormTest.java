package io.statusreg.registry.tokens;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.statusreg.registry.events.Purpose;
import io.statusreg.registry.lists.StatusList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class W3cFormTest {
  private static final String URI = "https://status.example/statuslists/acme/l";

  @Test
  void purposeAndBitsDecideTheW3cForm() {
    assertThat(W3cForm.of(Purpose.REVOCATION, 1)).isEqualTo(new W3cForm("revocation", 1, -1));
    assertThat(W3cForm.of(Purpose.SUSPENSION, 2)).isEqualTo(new W3cForm("suspension", 1, 2));
    assertThat(W3cForm.of(Purpose.SUSPENSION, 8)).isEqualTo(new W3cForm("suspension", 1, 2));
    for (int bits : new int[] {2, 4, 8}) {
      assertThat(W3cForm.of(Purpose.REVOCATION, bits))
          .as("a multi-bit revocation list is a message list for W3C")
          .isEqualTo(new W3cForm("message", bits, -1));
    }
    assertThat(W3cForm.of(Purpose.MESSAGE, 1)).isEqualTo(new W3cForm("message", 1, -1));
    assertThatThrownBy(() -> W3cForm.of(Purpose.MESSAGE, 3))
        .isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void theEntryOfAOneBitRevocationListHasNoStatusSize() {
    Map<String, Object> one = W3cForm.of(Purpose.REVOCATION, 1).entry(URI, 42);
    assertThat(one.keySet())
        .containsExactly("id", "type", "statusPurpose", "statusListIndex", "statusListCredential");
    assertThat(one)
        .containsEntry("id", URI + "#42")
        .containsEntry("type", "BitstringStatusListEntry")
        .containsEntry("statusPurpose", "revocation")
        .containsEntry("statusListIndex", "42")
        .containsEntry("statusListCredential", URI)
        .doesNotContainKeys("statusSize", "statusMessage");
    assertThat(W3cForm.of(Purpose.SUSPENSION, 2).entry(URI, 1))
        .containsEntry("statusPurpose", "suspension")
        .doesNotContainKeys("statusSize", "statusMessage");
  }

  @Test
  void theEntryOfAMultiBitListNamesItsStatusSizeAndEveryMessage() {
    Map<String, Object> two = W3cForm.of(Purpose.REVOCATION, 2).entry(URI, 7);
    assertThat(two).containsEntry("statusPurpose", "message").containsEntry("statusSize", 2);
    assertThat(two.get("statusMessage"))
        .isEqualTo(
            List.of(
                Map.of("status", "0x0", "message", "valid"),
                Map.of("status", "0x1", "message", "invalid"),
                Map.of("status", "0x2", "message", "suspended"),
                Map.of("status", "0x3", "message", "application-specific")));
    assertThat(W3cForm.statusMessages(4)).hasSize(16);
    assertThat(W3cForm.statusMessages(8))
        .hasSize(256)
        .last()
        .isEqualTo(Map.of("status", "0xff", "message", "reserved"));
    assertThatThrownBy(() -> W3cForm.of(Purpose.MESSAGE, 2).entry(URI, -1))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> W3cForm.statusMessages(3))
        .isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void theCredentialSubjectFollowsTheFormAndAFormIsRequired() {
    StatusList list = StatusList.empty(2, 1000).with(3, 2).with(4, 1);
    var builder =
        BitstringStatusListCredential.builder()
            .id(URI)
            .issuer("https://status.example/issuers/acme")
            .validFrom(java.time.Instant.parse("2026-01-01T00:00:00Z"))
            .list(list);

    assertThatThrownBy(builder::toJsonNode).hasMessageContaining("form");

    var message =
        builder.form(W3cForm.of(Purpose.REVOCATION, 2)).toJsonNode().get("credentialSubject");
    assertThat(message.get("statusPurpose").asText()).isEqualTo("message");
    assertThat(message.get("statusSize").asInt()).isEqualTo(2);
    assertThat(message.get("statusMessages")).hasSize(4);
    var suspension =
        builder.form(W3cForm.of(Purpose.SUSPENSION, 2)).toJsonNode().get("credentialSubject");
    assertThat(suspension.get("statusPurpose").asText()).isEqualTo("suspension");
    assertThat(suspension.has("statusSize")).isFalse();
    StatusList shown =
        BitstringStatusList.decode(suspension.get("encodedList").asText(), 1, 1 << 20);
    assertThat(shown.get(3)).as("suspended").isEqualTo(1);
    assertThat(shown.get(4)).as("revoked is not suspended").isZero();
  }

  @Test
  void everyEntryOfAnAllocationSharesOneListOfMessages() {
    W3cForm form = W3cForm.of(Purpose.MESSAGE, 8);

    Object first = form.entry(URI, 1).get("statusMessage");
    Object second = form.entry(URI, 2).get("statusMessage");

    assertThat(second).isSameAs(first);
    assertThat(W3cForm.statusMessages(8)).isUnmodifiable();
  }

  @Test
  void aSuspensionListShowsOneBitPerEntrySetExactlyWhileSuspended() {
    StatusList list =
        StatusList.empty(2, 200_000)
            .with(0, 2)
            .with(1, 1)
            .with(2, 3)
            .with(9, 2)
            .with(199_999, 2)
            .with(150_000, 0);
    W3cForm form = W3cForm.of(Purpose.SUSPENSION, 2);

    StatusList w3c = BitstringStatusList.decode(form.encode(list, 9), 1, 1 << 20);

    assertThat(w3c.bits()).isEqualTo(1);
    assertThat(w3c.size()).isEqualTo(200_000);
    for (long idx = 0; idx < list.size(); idx++) {
      int expected = list.get(idx) == 2 ? 1 : 0;
      if (w3c.get(idx) != expected || form.w3cValue(list, idx) != expected) {
        throw new AssertionError("index " + idx + ": " + w3c.get(idx) + " != " + expected);
      }
    }
    // MSB first: index 0 is the top bit of byte 0.
    byte[] raw = BitstringStatusList.toBitstring(w3c);
    assertThat(raw[0] & 0xff).isEqualTo(0x80);
    assertThat(raw[1] & 0xff).isEqualTo(0x40);
  }

  @Test
  void aSmallSuspensionListIsPaddedToTheHerdPrivacyMinimum() {
    StatusList list = StatusList.empty(2, 16).with(15, 2);
    StatusList w3c =
        BitstringStatusList.decode(W3cForm.of(Purpose.SUSPENSION, 2).encode(list, 6), 1, 1 << 20);
    assertThat(w3c.size()).isEqualTo(BitstringStatusList.MIN_ENTRIES);
    assertThat(w3c.get(15)).isEqualTo(1);
    assertThat(w3c.get(14)).isZero();
  }
}

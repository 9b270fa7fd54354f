package io.statusreg.registry;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.UUID;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.NullAndEmptySource;
import org.junit.jupiter.params.provider.ValueSource;

class RegistryValuesTest {

  @Nested
  class Ids {
    /**
     * The written-out checks agree with the regular expressions that state the rules, on random
     * strings over an alphabet of allowed, forbidden and non-ASCII characters and every length
     * around the bounds.
     */
    @Test
    void theIdChecksAgreeWithTheirRegularExpressions() {
      java.util.regex.Pattern issuer = java.util.regex.Pattern.compile("[a-z0-9][a-z0-9-]{0,62}");
      java.util.regex.Pattern name = java.util.regex.Pattern.compile("[A-Za-z0-9_-]{1,64}");
      String alphabet = "az09AZ-_./ \u0661\u00e9\u212a\n";
      java.util.Random random = new java.util.Random(11);
      int accepted = 0;
      for (int run = 0; run < 50_000; run++) {
        int length = random.nextInt(67);
        StringBuilder b = new StringBuilder();
        // mostly allowed characters, so that long valid ids occur too
        for (int i = 0; i < length; i++) {
          b.append(
              random.nextInt(20) == 0
                  ? alphabet.charAt(random.nextInt(alphabet.length()))
                  : "abz09AZ-_".charAt(random.nextInt(9)));
        }
        String s = b.toString();
        assertThat(IssuerId.valid(s)).as("issuer %s", s).isEqualTo(issuer.matcher(s).matches());
        assertThat(ListId.validName(s)).as("name %s", s).isEqualTo(name.matcher(s).matches());
        accepted += IssuerId.valid(s) ? 1 : 0;
      }
      assertThat(accepted).as("some random ids are valid issuer ids").isGreaterThan(100);
      assertThat(IssuerId.valid(null)).isFalse();
    }

    @ParameterizedTest
    @ValueSource(
        strings = {
          "a",
          "acme",
          "0",
          "acme-eu-1",
          "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa"
        })
    void wellFormedIssuerIdsAreAccepted(String raw) {
      assertThat(IssuerId.of(raw).value()).isEqualTo(raw);
      assertThat(IssuerId.of(raw)).hasToString(raw);
    }

    @ParameterizedTest
    @NullAndEmptySource
    @ValueSource(
        strings = {
          "Acme",
          "-acme",
          "ac me",
          "acme/xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx",
          "ac.me",
          "acmé",
          "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa"
        })
    void malformedIssuerIdsAreInvalidInputThatQuotesTheValue(String raw) {
      assertThatThrownBy(() -> IssuerId.of(raw))
          .isInstanceOf(RegistryException.InvalidInput.class)
          .hasMessageContaining("issuer id must match");
    }

    @Test
    void untrustedInputIsQuotedShortAndPrintable() {
      String nasty = "\u0000\n" + "x".repeat(500);

      assertThatThrownBy(() -> IssuerId.of(nasty))
          .isInstanceOf(RegistryException.InvalidInput.class)
          .message()
          .contains("'??xxx")
          .endsWith("...'")
          .hasSizeLessThan(200)
          .doesNotContain("\n");
    }

    @Test
    void aListIdParsesAndPrintsItsKeyForm() {
      ListId id = ListId.parse("acme/Main_list-1");

      assertThat(id.issuer()).isEqualTo(IssuerId.of("acme"));
      assertThat(id.name()).isEqualTo("Main_list-1");
      assertThat(id.key()).isEqualTo("acme/Main_list-1");
      assertThat(ListId.parse(id.key())).isEqualTo(id);
    }

    @ParameterizedTest
    @NullAndEmptySource
    @ValueSource(
        strings = {
          "acme",
          "/main",
          "acme/",
          "acme/a/b",
          "acme/a b",
          "ACME/main",
          "acme/xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx"
        })
    void malformedListKeysAreInvalidInput(String key) {
      assertThatThrownBy(() -> ListId.parse(key))
          .isInstanceOf(RegistryException.InvalidInput.class);
    }

    @Test
    void aListIdNeedsAnIssuer() {
      assertThatThrownBy(() -> new ListId(null, "main"))
          .isInstanceOf(RegistryException.InvalidInput.class)
          .hasMessageContaining("issuer");
    }

    @Test
    void eventIdsParseUuidsOnly() {
      UUID uuid = UUID.randomUUID();

      assertThat(EventId.of(uuid.toString()).value()).isEqualTo(uuid);
      assertThat(EventId.random()).isNotEqualTo(EventId.random());
      assertThatThrownBy(() -> EventId.of("nope"))
          .isInstanceOf(RegistryException.InvalidInput.class)
          .hasMessageContaining("'nope'");
      assertThatThrownBy(() -> EventId.of(null)).isInstanceOf(RegistryException.InvalidInput.class);
      assertThatThrownBy(() -> new EventId(null))
          .isInstanceOf(RegistryException.InvalidInput.class);
    }
  }

  @Nested
  class Statuses {
    @Test
    void wireCodesFollowTheIetfRegistry() {
      assertThat(Status.VALID.code()).isZero();
      assertThat(Status.INVALID.code()).isEqualTo(1);
      assertThat(Status.SUSPENDED.code()).isEqualTo(2);
      assertThat(Status.APPLICATION_3.code()).isEqualTo(3);
      assertThat(Status.APPLICATION_12.code()).isEqualTo(12);
      assertThat(Status.APPLICATION_15.code()).isEqualTo(15);
      for (Status s : Status.values()) {
        assertThat(Status.fromCode(s.code())).isEqualTo(s);
      }
    }

    @ParameterizedTest
    @ValueSource(ints = {4, 5, 11, 16, 255, -1, Integer.MAX_VALUE, Integer.MIN_VALUE})
    void reservedAndUndefinedCodesAreRefused(int code) {
      assertThatThrownBy(() -> Status.fromCode(code))
          .isInstanceOf(RegistryException.InvalidInput.class)
          .hasMessageContaining("status code");
    }

    @Test
    void minimumBitsMatchTheValue() {
      assertThat(Status.VALID.minBits()).isEqualTo(1);
      assertThat(Status.INVALID.minBits()).isEqualTo(1);
      assertThat(Status.SUSPENDED.minBits()).isEqualTo(2);
      assertThat(Status.APPLICATION_3.minBits()).isEqualTo(2);
      assertThat(Status.APPLICATION_12.minBits()).isEqualTo(4);
      assertThat(Status.APPLICATION_3.fitsIn(1)).isFalse();
      assertThat(Status.APPLICATION_15.fitsIn(4)).isTrue();
      assertThat(Status.INVALID.isTerminal()).isTrue();
      assertThat(Status.SUSPENDED.isTerminal()).isFalse();
    }

    @Test
    void namesAndCodesParse() {
      assertThat(Status.parse("valid")).isEqualTo(Status.VALID);
      assertThat(Status.parse("Revoked")).isEqualTo(Status.INVALID);
      assertThat(Status.parse("SUSPENDED")).isEqualTo(Status.SUSPENDED);
      assertThat(Status.parse("13")).isEqualTo(Status.APPLICATION_13);
      assertThat(Status.parse("0001")).isEqualTo(Status.INVALID);
    }

    @ParameterizedTest
    @NullAndEmptySource
    @ValueSource(
        strings = {
          "7",
          "paused",
          "99999999999",
          "9999999999999999",
          "-1",
          "1.0",
          "\u0661",
          "12345678901234567"
        })
    void anythingElseIsInvalidInputNeverANumberFormatException(String raw) {
      assertThatThrownBy(() -> Status.parse(raw))
          .isInstanceOf(RegistryException.InvalidInput.class);
    }
  }

  @Nested
  class Reasons {
    @Test
    void codesAreLowerSnakeCaseAndParseBack() {
      assertThat(Reason.KEY_COMPROMISE.code()).isEqualTo("key_compromise");
      for (Reason r : Reason.values()) {
        assertThat(Reason.parse(r.code())).isEqualTo(r);
      }
      assertThat(Reason.parse(null)).isEqualTo(Reason.UNSPECIFIED);
      assertThat(Reason.parse("")).isEqualTo(Reason.UNSPECIFIED);
    }

    @Test
    void anUnknownReasonListsTheKnownOnes() {
      assertThatThrownBy(() -> Reason.parse("bored"))
          .isInstanceOf(RegistryException.InvalidInput.class)
          .hasMessageContaining("'bored'")
          .hasMessageContaining("key_compromise");
      assertThatThrownBy(() -> Reason.parse("x".repeat(10_000)))
          .isInstanceOf(RegistryException.InvalidInput.class);
    }

    @Test
    void theRfc5280CrlReasonNamesAreAliasesOfTheMatchingCodes() {
      assertThat(Reason.parse("keyCompromise")).isEqualTo(Reason.KEY_COMPROMISE);
      assertThat(Reason.parse("KEYCOMPROMISE")).isEqualTo(Reason.KEY_COMPROMISE);
      assertThat(Reason.parse("unspecified")).isEqualTo(Reason.UNSPECIFIED);
      assertThat(Reason.parse("affiliationChanged")).isEqualTo(Reason.AFFILIATION_CHANGED);
      assertThat(Reason.parse("superseded")).isEqualTo(Reason.SUPERSEDED);
      assertThat(Reason.parse("cessationOfOperation")).isEqualTo(Reason.CESSATION_OF_OPERATION);
      assertThat(Reason.parse("privilegeWithdrawn")).isEqualTo(Reason.PRIVILEGE_WITHDRAWN);
      assertThat(Reason.parse("removeFromCRL")).isEqualTo(Reason.REINSTATEMENT);
      assertThat(Reason.rfc5280Aliases()).hasSize(7);
      // what is stored and answered stays the code
      assertThat(Reason.parse("keyCompromise").code()).isEqualTo("key_compromise");
    }

    @Test
    void theCrlReasonsWithoutAMatchingCodeAreRefusedSayingWhy() {
      assertThatThrownBy(() -> Reason.parse("certificateHold"))
          .isInstanceOf(RegistryException.InvalidInput.class)
          .hasMessageContaining("SUSPENDED");
      assertThatThrownBy(() -> Reason.parse("cACompromise"))
          .isInstanceOf(RegistryException.InvalidInput.class)
          .hasMessageContaining("CA");
      assertThatThrownBy(() -> Reason.parse("aACompromise"))
          .isInstanceOf(RegistryException.InvalidInput.class);
      assertThatThrownBy(() -> Reason.parse("key-compromise"))
          .isInstanceOf(RegistryException.InvalidInput.class)
          .hasMessageContaining("keyCompromise");
    }
  }

  @Nested
  class Actors {
    @Test
    void kindsParseFromTheirCodes() {
      assertThat(Actor.Kind.parse("issuer")).isEqualTo(Actor.Kind.ISSUER);
      assertThat(Actor.Kind.parse("operator")).isEqualTo(Actor.Kind.OPERATOR);
      assertThat(Actor.issuer("c1")).isEqualTo(new Actor(Actor.Kind.ISSUER, "c1"));
      assertThat(Actor.operator("ops").kind()).isEqualTo(Actor.Kind.OPERATOR);
      assertThatThrownBy(() -> Actor.Kind.parse("ISSUER"))
          .isInstanceOf(RegistryException.InvalidInput.class)
          .hasMessageContaining("actor kind");
      assertThatThrownBy(() -> Actor.Kind.parse(null))
          .isInstanceOf(RegistryException.InvalidInput.class);
    }

    @Test
    void anActorNeedsAKindAndAShortSubject() {
      assertThatThrownBy(() -> new Actor(null, "x"))
          .isInstanceOf(RegistryException.InvalidInput.class);
      assertThatThrownBy(() -> Actor.issuer(""))
          .isInstanceOf(RegistryException.InvalidInput.class)
          .hasMessageContaining("1-256");
      assertThatThrownBy(() -> Actor.issuer(null))
          .isInstanceOf(RegistryException.InvalidInput.class);
      assertThatThrownBy(() -> Actor.issuer("x".repeat(257)))
          .isInstanceOf(RegistryException.InvalidInput.class);
      assertThat(Actor.issuer("x".repeat(256)).subject()).hasSize(256);
    }
  }
}

package io.statusreg.registry.testing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class PropertyTest {

  @Test
  void aFailingPropertyReportsItsNameSeedTryAndValue() {
    List<Integer> seen = new ArrayList<>();

    AssertionError error =
        catchThrowableOfType(
            AssertionError.class,
            () ->
                Property.forAll(
                    42L,
                    "small numbers",
                    1000,
                    Gen.ints(0, 1_000_000),
                    n -> {
                      seen.add(n);
                      assertThat(n).isLessThan(900_000);
                    }));

    int failing = seen.getLast();
    assertThat(error)
        .hasMessageContaining("property 'small numbers'")
        .hasMessageContaining("try " + seen.size() + " of 1000")
        .hasMessageContaining("seed 42")
        .hasMessageContaining("-Dstatusreg.props.seed=42")
        .hasMessageContaining("value: " + failing)
        .hasCauseInstanceOf(AssertionError.class);
  }

  @Test
  void theSameSeedReproducesTheSameValuesAndAnotherSeedDoesNot() {
    Gen<List<Long>> gen = Gen.longs().list(0, 20);
    List<List<Long>> first = new ArrayList<>();
    List<List<Long>> second = new ArrayList<>();
    List<List<Long>> other = new ArrayList<>();

    Property.forAll(7L, "p", 50, gen, first::add);
    Property.forAll(7L, "p", 50, gen, second::add);
    Property.forAll(8L, "p", 50, gen, other::add);

    assertThat(second).isEqualTo(first);
    assertThat(other).isNotEqualTo(first);
  }

  @Test
  void aFailingListIsShrunkToTheElementsThatMatter() {
    assertThatThrownBy(
            () ->
                Property.forAll(
                    1L,
                    "no 7 after a 3",
                    500,
                    Gen.ints(0, 9).list(0, 50),
                    list -> {
                      int three = list.indexOf(3);
                      assertThat(three >= 0 && list.subList(three, list.size()).contains(7))
                          .isFalse();
                    }))
        .hasMessageContaining("shrunk: [3, 7]");
  }

  @Test
  void numbersStayInRangeAndHitTheirBounds() {
    List<Long> seen = new ArrayList<>();

    Property.forAll(
        3L,
        "range",
        2000,
        Gen.longs(-5, Long.MAX_VALUE),
        n -> {
          assertThat(n).isBetween(-5L, Long.MAX_VALUE);
          seen.add(n);
        });

    assertThat(seen).contains(-5L, 0L, 1L, -1L, Long.MAX_VALUE);
  }

  @Test
  void triesCanBeOverriddenForARun() {
    List<Integer> seen = new ArrayList<>();
    String before = System.setProperty(Property.TRIES, "3");
    try {
      Property.forAll(1L, "counted", 100, Gen.ints(), seen::add);
    } finally {
      if (before == null) {
        System.clearProperty(Property.TRIES);
      } else {
        System.setProperty(Property.TRIES, before);
      }
    }

    assertThat(seen).hasSize(3);
  }
}

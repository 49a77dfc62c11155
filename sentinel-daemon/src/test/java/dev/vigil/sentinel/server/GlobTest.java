package dev.vigil.sentinel.server;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Random;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/** Valkey's glob semantics, and a bound on the work a hostile pattern can cause. */
class GlobTest {
  @Test
  void wildcardsClassesAndEscapesMeanWhatTheyMeanInValkey() {
    assertThat(Glob.matches("*", "")).isTrue();
    assertThat(Glob.matches("*", "anything")).isTrue();
    assertThat(Glob.matches("", "")).isTrue();
    assertThat(Glob.matches("", "a")).isFalse();
    assertThat(Glob.matches("h?llo", "hello")).isTrue();
    assertThat(Glob.matches("h?llo", "hllo")).isFalse();
    assertThat(Glob.matches("h*llo", "hllo")).isTrue();
    assertThat(Glob.matches("h*llo", "heeeello")).isTrue();
    assertThat(Glob.matches("h*llo", "heeeellox")).isFalse();
    assertThat(Glob.matches("h[ae]llo", "hallo")).isTrue();
    assertThat(Glob.matches("h[ae]llo", "hillo")).isFalse();
    assertThat(Glob.matches("h[^e]llo", "hallo")).isTrue();
    assertThat(Glob.matches("h[^e]llo", "hello")).isFalse();
    assertThat(Glob.matches("h[a-b]llo", "hbllo")).isTrue();
    assertThat(Glob.matches("h[b-a]llo", "hbllo")).isTrue(); // a reversed range, as Valkey
    assertThat(Glob.matches("h[a-b]llo", "hcllo")).isFalse();
    assertThat(Glob.matches("h[\\]]llo", "h]llo")).isTrue();
    assertThat(Glob.matches("h\\*llo", "h*llo")).isTrue();
    assertThat(Glob.matches("h\\*llo", "hello")).isFalse();
    assertThat(Glob.matches("__sentinel__:*", "__sentinel__:hello")).isTrue();
    assertThat(Glob.matches("+*", "+sdown")).isTrue();
    assertThat(Glob.matches("my*", "mymaster")).isTrue();
    assertThat(Glob.matches("*master", "mymaster")).isTrue();
    assertThat(Glob.matches("a*b", "a")).isFalse();
    assertThat(Glob.matches("a**", "a")).isTrue();
  }

  /** Patterns without escapes translate to a regular expression: both must always agree. */
  @Test
  void agreesWithARegularExpressionOnRandomPatterns() {
    String[] atoms = {"a", "b", "*", "?", "[ab]", "[^a]", "[a-b]"};
    Random random = new Random(13);
    for (int i = 0; i < 20_000; i++) {
      StringBuilder glob = new StringBuilder();
      StringBuilder regex = new StringBuilder();
      for (int n = random.nextInt(7); n > 0; n--) {
        String atom = atoms[random.nextInt(atoms.length)];
        glob.append(atom);
        regex.append(switch (atom) {
          case "*" -> ".*";
          case "?" -> ".";
          default -> atom;
        });
      }
      StringBuilder text = new StringBuilder();
      for (int n = random.nextInt(8); n > 0; n--) {
        text.append("abc".charAt(random.nextInt(3)));
      }
      boolean expected = Pattern.compile(regex.toString(), Pattern.DOTALL).matcher(text).matches();
      assertThat(Glob.matches(glob.toString(), text.toString()))
          .as("%s against %s", glob, text).isEqualTo(expected);
    }
  }

  /**
   * Without the bound, {@code *a*a...*a*b} against a long run of {@code a} tries every way of
   * spreading the stars over the text: about n^k steps for k stars, beyond any patience for
   * n = 5,000. With it, the work stays within pattern length times text length.
   */
  @Test
  void aHostilePatternCostsAtMostPatternTimesTextSteps() {
    String text = "a".repeat(5_000);
    String hostile = "*a".repeat(20) + "*b";
    assertThat(Glob.matches(hostile, text)).isFalse();
    long bound = (long) (hostile.length() + 1) * (text.length() + 1);
    assertThat(Glob.steps(hostile, text)).isLessThanOrEqualTo(bound);
    assertThat(Glob.matches(hostile.substring(0, hostile.length() - 1) + "a", text)).isTrue();

    String classes = "*[a-z]?".repeat(15) + "*[^a]";
    assertThat(Glob.matches(classes, text)).isFalse();
    assertThat(Glob.steps(classes, text))
        .isLessThanOrEqualTo((long) (classes.length() + 1) * (text.length() + 1));
  }

  @Test
  void patternsNestedDeeperThanValkeyAllowsMatchNothing() {
    String text = "a".repeat(Glob.MAX_NESTING + 1) + "b";
    assertThat(Glob.matches("a*".repeat(Glob.MAX_NESTING) + "b", text)).isTrue();
    assertThat(Glob.matches("a*".repeat(Glob.MAX_NESTING + 1) + "b", text)).isFalse();
  }
}

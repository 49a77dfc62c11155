package dev.vigil.sentinel.server;

/**
 * Valkey's glob matching (stringmatchlen), for channel patterns, SENTINEL RESET and CONFIG GET.
 * Patterns come from clients, so a hostile one ({@code *a*a*a*a...b}) must not backtrack without
 * bound: as Valkey, the matcher gives up on longer matches for earlier stars once a later star has
 * found no match anywhere in the rest of the text, and refuses patterns nested deeper than
 * {@value #MAX_NESTING} stars. Its work is then at most about pattern length times text length.
 */
public final class Glob {
  /** Valkey's protection against abusive patterns: deeper than this is no match. */
  static final int MAX_NESTING = 1000;

  private Glob() {}

  /** True when {@code text} matches: *, ?, [set], [^set], [a-z] and backslash escapes. */
  public static boolean matches(String pattern, String text) {
    return new Match(pattern, text).from(0, 0, 0);
  }

  /** How many steps (pattern positions visited) matching takes: the bound's measure, for tests. */
  static long steps(String pattern, String text) {
    Match m = new Match(pattern, text);
    m.from(0, 0, 0);
    return m.steps;
  }

  /** One matching: the pattern, the text, and what the stars have learned so far. */
  private static final class Match {
    private final String p;
    private final String s;
    /**
     * Set when a star found no match for the rest of the pattern starting anywhere in the rest of
     * the text: a longer match for an earlier star would only start that rest later, so it cannot
     * match either, and every earlier star stops trying.
     */
    private boolean skipLongerMatches;
    private long steps;

    Match(String p, String s) {
      this.p = p;
      this.s = s;
    }

    boolean from(int pi, int si, int nesting) {
      if (nesting > MAX_NESTING) {
        return false;
      }
      while (pi < p.length()) {
        steps++;
        char c = p.charAt(pi);
        switch (c) {
          case '*' -> {
            while (pi + 1 < p.length() && p.charAt(pi + 1) == '*') {
              pi++;
            }
            if (pi + 1 == p.length()) {
              return true;
            }
            for (int k = si; k <= s.length(); k++) {
              if (from(pi + 1, k, nesting + 1)) {
                return true;
              }
              if (skipLongerMatches) {
                return false;
              }
            }
            skipLongerMatches = true;
            return false;
          }
          case '?' -> {
            if (si >= s.length()) {
              return false;
            }
            si++;
            pi++;
          }
          case '[' -> {
            if (si >= s.length()) {
              return false;
            }
            int end = pi + 1;
            boolean negate = end < p.length() && p.charAt(end) == '^';
            if (negate) {
              end++;
            }
            boolean hit = false;
            char ch = s.charAt(si);
            while (end < p.length() && p.charAt(end) != ']') {
              if (p.charAt(end) == '\\' && end + 1 < p.length()) {
                end++;
                hit |= p.charAt(end) == ch;
              } else if (end + 2 < p.length() && p.charAt(end + 1) == '-'
                  && p.charAt(end + 2) != ']') {
                char lo = p.charAt(end);
                char hi = p.charAt(end + 2);
                hit |= ch >= Math.min(lo, hi) && ch <= Math.max(lo, hi);
                end += 2;
              } else {
                hit |= p.charAt(end) == ch;
              }
              end++;
            }
            if (hit == negate) {
              return false;
            }
            pi = Math.min(end + 1, p.length());
            si++;
          }
          case '\\' -> {
            if (pi + 1 < p.length()) {
              pi++;
            }
            if (si >= s.length() || p.charAt(pi) != s.charAt(si)) {
              return false;
            }
            pi++;
            si++;
          }
          default -> {
            if (si >= s.length() || c != s.charAt(si)) {
              return false;
            }
            pi++;
            si++;
          }
        }
      }
      return si == s.length();
    }
  }
}

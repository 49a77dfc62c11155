package dev.vigil.resp3.value;

/** Validation shared by the line-framed types, which cannot carry CR or LF. */
final class Lines {
  private Lines() {}

  static void requireNoCrLf(byte[] bytes, String what) {
    for (byte b : bytes) {
      if (b == '\r' || b == '\n') {
        throw new IllegalArgumentException(what + " must not contain CR or LF");
      }
    }
  }
}

package dev.vigil.resp3.bench;

/** One decoder under test, wired to one scenario's input. */
interface Contender extends AutoCloseable {
  /** Decodes the whole input once; the result only feeds JMH's blackhole. */
  long decodeAll();

  /** What the decoder has reported so far; meaningful for contenders built for a check. */
  Tally tally();

  @Override
  void close();
}

package dev.vigil.resp3.bench;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;

/** Writes RESP test inputs and counts what it wrote, so each scenario knows its expected tally. */
final class Wire {
  private final ByteArrayOutputStream out = new ByteArrayOutputStream();
  private long aggregates;
  private long leaves;
  private long payloadBytes;

  Wire simple(String text) {
    leaves++;
    payloadBytes += text.length();
    return line('+', text);
  }

  Wire bulk(String text) {
    return bulk(text.getBytes(StandardCharsets.UTF_8));
  }

  Wire bulk(byte[] payload) {
    leaves++;
    payloadBytes += payload.length;
    line('$', Integer.toString(payload.length));
    out.writeBytes(payload);
    return crlf();
  }

  /** {@code =len fmt:text}: counted as {@code text.length} payload bytes. */
  Wire verbatim(String format, byte[] text) {
    leaves++;
    payloadBytes += text.length;
    line('=', Integer.toString(text.length + 4));
    out.writeBytes((format + ":").getBytes(StandardCharsets.US_ASCII));
    out.writeBytes(text);
    return crlf();
  }

  /** An aggregate header; {@code count} is elements, or pairs for {@code '%'}. */
  Wire aggregate(char type, int count) {
    aggregates++;
    return line(type, Integer.toString(count));
  }

  Wire append(Wire other) {
    out.writeBytes(other.bytes());
    aggregates += other.aggregates;
    leaves += other.leaves;
    payloadBytes += other.payloadBytes;
    return this;
  }

  byte[] bytes() {
    return out.toByteArray();
  }

  Tally tally(long replies) {
    return new Tally(replies, aggregates, leaves, payloadBytes);
  }

  private Wire line(char type, String text) {
    out.write(type);
    out.writeBytes(text.getBytes(StandardCharsets.UTF_8));
    return crlf();
  }

  private Wire crlf() {
    out.write('\r');
    out.write('\n');
    return this;
  }
}

package dev.vigil.resp3.codec;

import dev.vigil.resp3.value.NumberSyntax;
import dev.vigil.resp3.value.RespNull;
import io.netty.buffer.ByteBuf;
import java.util.Arrays;
import java.util.List;

/**
 * The RESP3/RESP2 state machine: reads every type of both protocols (RESP3 is a superset for a
 * reader, so no mode switch is needed after {@code HELLO 3}) and reports it to a {@link RespSink}.
 *
 * <p>It resumes exactly where the previous call stopped: a half-received line is never re-scanned
 * (the scanned length is kept), and a blob payload is waited for with an O(1) length check.
 * Nesting lives in an explicit, bounded stack, never on the Java stack. Input is consumed (the
 * reader index advanced) only as whole lines and payloads are read; the bytes of an unfinished
 * line or payload stay in the buffer, which is what lets payloads be handed out as zero-copy
 * slices.
 *
 * <p>The grammar is strict (see {@link NumberSyntax} and the reference in
 * {@code shared/reference/resp3.md}): exact CRLF, {@code -1} lengths only for {@code $} and
 * {@code *}, one-byte booleans, empty nulls, {@code len >= 4} with {@code ':'} for verbatim
 * strings, pushes at the top level only, {@code .} and {@code ;} only inside their streamed parent.
 * The first violation throws {@link RespProtocolException} and the parser then refuses all input.
 *
 * <p>Not thread-safe: one parser per connection, used from its event loop.
 */
public final class RespParser {
  private static final int TYPE = 0;
  private static final int LINE = 1;
  private static final int PAYLOAD = 2;
  private static final int CHUNK_HEADER = 3;
  private static final int INLINE = 4;
  private static final int FAILED = 5;

  /** Longest header a length or an integer needs: {@code -9223372036854775808}. */
  private static final int NUMBER_LINE_MAX = 20;

  private static final long STREAMED = -1;

  private static final long CR_WORD = 0x0D0D0D0D0D0D0D0DL;
  private static final long LF_WORD = 0x0A0A0A0A0A0A0A0AL;
  private static final short CRLF = 0x0D0A;

  private final RespLimits limits;
  private final boolean inlineCommands;

  private int state = TYPE;
  private byte type;
  private int scanned;
  private int payloadLength;
  private long streamedTotal;

  private byte[] frameType = new byte[8];
  private long[] frameRemaining = new long[8];
  private long[] frameItems = new long[8];
  private boolean[] attributePending = new boolean[9];
  private int depth;

  private long streamOffset;
  private long offsetBase;
  private ByteBuf current;

  /**
   * @param inlineCommands accept inline commands ({@code PING\r\n}, as telnet and redis-cli send
   *     them) at the top level: for a server reading requests. A client leaves it off, so an
   *     unknown type byte from a server is a protocol error.
   */
  public RespParser(RespLimits limits, boolean inlineCommands) {
    this.limits = limits;
    this.inlineCommands = inlineCommands;
  }

  public RespParser() {
    this(RespLimits.DEFAULT, false);
  }

  /** True between frames: nothing of a frame has been read yet. */
  public boolean atFrameBoundary() {
    return state == TYPE && depth == 0 && !attributePending[0];
  }

  /**
   * How many more bytes the element being read needs beyond what {@code in} holds: the rest of a
   * payload and its CRLF, or 0 when not inside a payload (lines need unknown lengths).
   */
  public int bytesAwaited(ByteBuf in) {
    if (state != PAYLOAD) {
      return 0;
    }
    long need = (long) payloadLength + 2 - in.readableBytes();
    return need > 0 ? (int) Math.min(need, Integer.MAX_VALUE) : 0;
  }

  /** Bytes consumed since the parser was created. */
  public long offset() {
    return streamOffset;
  }

  /** Forgets any partial frame (the sink must drop its own partial state too). */
  public void reset() {
    state = TYPE;
    depth = 0;
    scanned = 0;
    Arrays.fill(attributePending, false);
  }

  /**
   * Reads as much of {@code in} as forms complete elements, reporting them to {@code sink}.
   * Returns when more input is needed; bytes of an unfinished element stay unread in {@code in}.
   *
   * @throws RespProtocolException on malformed or over-limit input; afterwards every call throws
   */
  public void parse(ByteBuf in, RespSink sink) {
    if (state == FAILED) {
      throw new RespProtocolException(streamOffset, "input after an earlier protocol error");
    }
    offsetBase = streamOffset - in.readerIndex();
    current = in;
    try {
      run(in, sink);
    } catch (RespProtocolException e) {
      state = FAILED;
      throw e;
    } finally {
      streamOffset = offsetBase + in.readerIndex();
      current = null;
    }
  }

  private void run(ByteBuf in, RespSink sink) {
    while (true) {
      switch (state) {
        case TYPE:
          if (!readType(in, sink)) {
            return;
          }
          break;
        case LINE:
          if (!readLine(in, sink)) {
            return;
          }
          break;
        case PAYLOAD:
          if (!readPayload(in, sink)) {
            return;
          }
          break;
        case CHUNK_HEADER:
          if (!in.isReadable()) {
            return;
          }
          if (in.getByte(in.readerIndex()) != ';') {
            throw error(in.readerIndex(), "expected ';' chunk header in a streamed string");
          }
          type = ';';
          in.skipBytes(1);
          state = LINE;
          break;
        case INLINE:
          if (!readInline(in, sink)) {
            return;
          }
          break;
        default:
          throw new IllegalStateException("parser state " + state);
      }
    }
  }

  private boolean readType(ByteBuf in, RespSink sink) {
    int ri = in.readerIndex();
    int end = in.writerIndex();
    if (ri >= end) {
      return false;
    }
    if (end - ri >= Long.BYTES && readShortFrameStart(in, ri, sink)) {
      return true;
    }
    byte b = in.getByte(ri);
    switch (b) {
      case '+', '-', ':', ',', '(', '#', '_', '$', '!', '=', '*', '%', '~', '>', '|', '.' -> {
        type = b;
        in.readerIndex(ri + 1);
        scanned = 0;
        state = LINE;
      }
      default -> {
        if (inlineCommands && depth == 0 && !attributePending[0]) {
          scanned = 0;
          state = INLINE;
        } else {
          throw error(ri, "unknown type byte 0x" + Integer.toHexString(b & 0xff));
        }
      }
    }
    return true;
  }

  /**
   * The fast path for the common short frame starts ({@code +PONG}, {@code $13}, {@code *3},
   * {@code :42}): when the type byte, the line and its CRLF fit in the next eight bytes, one word
   * read yields them all. Anything unusual (signs, {@code ?}, leading zeros, errors) returns false
   * and goes the general way, which also produces the error messages.
   */
  private boolean readShortFrameStart(ByteBuf in, int ri, RespSink sink) {
    long word = in.getLongLE(ri);
    byte t = (byte) word;
    long cr = zeroBytes(word ^ CR_WORD);
    if (cr == 0 || (zeroBytes(word ^ LF_WORD) & (cr - 1)) != 0) {
      return false;
    }
    int pos = Long.numberOfTrailingZeros(cr) >>> 3;
    if (pos == 0 || pos > 6 || (byte) (word >>> ((pos + 1) << 3)) != '\n') {
      return false;
    }
    switch (t) {
      case '+' -> {
        in.readerIndex(ri + pos + 2);
        sink.simpleString(in, ri + 1, pos - 1);
        valueDone(sink);
        return true;
      }
      case '$', '*', '%', '~', '>', '|', ':', '!', '=' -> {
        long n = digits(word, pos);
        if (n < 0) {
          return false;
        }
        type = t;
        in.readerIndex(ri + pos + 2);
        if (t == ':') {
          sink.integer(n);
          valueDone(sink);
        } else if (t == '$' || t == '!' || t == '=') {
          startPayload(n, ri + 1);
        } else {
          if (t == '>' && depth > 0) {
            throw error(ri, "push inside an aggregate");
          }
          openAggregate(t, n, ri + 1, sink);
        }
        return true;
      }
      default -> {
        return false;
      }
    }
  }

  /** The plain decimal in bytes 1 to pos-1 of {@code word}, or -1 if it is not one. */
  private static long digits(long word, int pos) {
    if (pos < 2 || ((byte) (word >>> 8) == '0' && pos > 2)) {
      return -1;
    }
    long n = 0;
    for (int k = 1; k < pos; k++) {
      int d = ((byte) (word >>> (k << 3))) - '0';
      if (d < 0 || d > 9) {
        return -1;
      }
      n = n * 10 + d;
    }
    return n;
  }

  /** Finds the CRLF ending the current line; on success consumes it and dispatches the line. */
  private boolean readLine(ByteBuf in, RespSink sink) {
    int start = in.readerIndex();
    int end = in.writerIndex();
    int max = maxLineFor(type);
    int stop = (int) Math.min(end, (long) start + max + 1);
    int i = findLineBreak(in, start + scanned, stop);
    if (i >= stop) {
      if (i - start > max) {
        throw error(start, lineTooLong(max));
      }
      scanned = i - start;
      return false;
    }
    if (in.getByte(i) == '\n') {
      throw error(i, "LF without CR");
    }
    if (i + 1 >= end) {
      scanned = i - start;
      return false;
    }
    if (in.getByte(i + 1) != '\n') {
      throw error(i + 1, "CR not followed by LF");
    }
    in.readerIndex(i + 2);
    scanned = 0;
    state = TYPE;
    onLine(in, start, i, sink);
    return true;
  }

  /**
   * The index of the first CR or LF in {@code [from, stop)}, or {@code stop}. Reads eight bytes at
   * a time (one bounds check per word instead of per byte) and finds the byte with SWAR arithmetic
   * that has no false positives.
   */
  private static int findLineBreak(ByteBuf in, int from, int stop) {
    int i = from;
    while (i + Long.BYTES <= stop) {
      long word = in.getLongLE(i);
      long hits = zeroBytes(word ^ CR_WORD) | zeroBytes(word ^ LF_WORD);
      if (hits != 0) {
        return i + (Long.numberOfTrailingZeros(hits) >>> 3);
      }
      i += Long.BYTES;
    }
    while (i < stop) {
      byte c = in.getByte(i);
      if (c == '\r' || c == '\n') {
        return i;
      }
      i++;
    }
    return stop;
  }

  /** 0x80 in every byte of the result whose byte in {@code x} is zero, 0 elsewhere. */
  private static long zeroBytes(long x) {
    long t = (x & 0x7F7F7F7F7F7F7F7FL) + 0x7F7F7F7F7F7F7F7FL;
    return ~(t | x | 0x7F7F7F7F7F7F7F7FL);
  }

  private int maxLineFor(byte t) {
    return switch (t) {
      case '+', '-', ',', '(' -> limits.maxLineLength();
      default -> NUMBER_LINE_MAX;
    };
  }

  private String lineTooLong(int max) {
    return maxLineFor(type) == limits.maxLineLength()
        ? "line longer than " + max + " bytes"
        : "'" + (char) type + "' header longer than " + max + " bytes";
  }

  private void onLine(ByteBuf in, int s, int e, RespSink sink) {
    int len = e - s;
    switch (type) {
      case '+' -> {
        sink.simpleString(in, s, len);
        valueDone(sink);
      }
      case '-' -> {
        sink.simpleError(in, s, len);
        valueDone(sink);
      }
      case ':' -> {
        sink.integer(parseInteger(in, s, e));
        valueDone(sink);
      }
      case ',' -> {
        if (!NumberSyntax.isDouble(in, s, e)) {
          throw error(s, "malformed double");
        }
        sink.doubleValue(in, s, len);
        valueDone(sink);
      }
      case '(' -> {
        if (!NumberSyntax.isBigNumber(in, s, e)) {
          throw error(s, "malformed big number");
        }
        sink.bigNumber(in, s, len);
        valueDone(sink);
      }
      case '#' -> {
        byte c = len == 1 ? in.getByte(s) : 0;
        if (c != 't' && c != 'f') {
          throw error(s, "boolean must be #t or #f");
        }
        sink.booleanValue(c == 't');
        valueDone(sink);
      }
      case '_' -> {
        if (len != 0) {
          throw error(s, "null must be empty");
        }
        sink.nullValue(RespNull.NULL);
        valueDone(sink);
      }
      case '$' -> onBulkHeader(in, s, e, sink);
      case '!', '=' -> startPayload(in, s, e);
      case ';' -> onChunkHeader(in, s, e, sink);
      case '*', '%', '~', '>', '|' -> onAggregateHeader(in, s, e, sink);
      case '.' -> onStreamEnd(in, s, len, sink);
      default -> throw new IllegalStateException("line type " + type);
    }
  }

  private void onBulkHeader(ByteBuf in, int s, int e, RespSink sink) {
    if (e - s == 1 && in.getByte(s) == '?') {
      sink.streamedStringStart();
      streamedTotal = 0;
      state = CHUNK_HEADER;
    } else if (isMinusOne(in, s, e)) {
      sink.nullValue(RespNull.NULL_BULK);
      valueDone(sink);
    } else {
      startPayload(in, s, e);
    }
  }

  private void startPayload(ByteBuf in, int s, int e) {
    startPayload(parseLength(in, s, e), s);
  }

  private void startPayload(long n, int s) {
    if (n > limits.maxBulkLength()) {
      throw error(s, "bulk length " + n + " over the limit of " + limits.maxBulkLength());
    }
    if (type == '=' && n < 4) {
      throw error(s, "verbatim string shorter than its 4-byte format prefix");
    }
    payloadLength = (int) n;
    state = PAYLOAD;
  }

  private void onChunkHeader(ByteBuf in, int s, int e, RespSink sink) {
    long n = parseLength(in, s, e);
    if (n == 0) {
      sink.streamedStringEnd();
      valueDone(sink);
      return;
    }
    streamedTotal += n;
    if (streamedTotal > limits.maxBulkLength()) {
      throw error(s, "streamed string over the limit of " + limits.maxBulkLength() + " bytes");
    }
    payloadLength = (int) n;
    state = PAYLOAD;
  }

  private boolean readPayload(ByteBuf in, RespSink sink) {
    int ri = in.readerIndex();
    int n = payloadLength;
    if (in.writerIndex() - ri < (long) n + 2) {
      return false;
    }
    int crlf = ri + n;
    if (in.getShort(crlf) != CRLF) {
      throw error(crlf, "payload not followed by CRLF");
    }
    in.readerIndex(crlf + 2);
    switch (type) {
      case '$' -> {
        state = TYPE;
        sink.bulkString(in, ri, n);
        valueDone(sink);
      }
      case '!' -> {
        state = TYPE;
        sink.bulkError(in, ri, n);
        valueDone(sink);
      }
      case '=' -> {
        if (in.getByte(ri + 3) != ':') {
          throw error(ri + 3, "verbatim format not followed by ':'");
        }
        state = TYPE;
        sink.verbatimString(in, ri, n);
        valueDone(sink);
      }
      case ';' -> {
        state = CHUNK_HEADER;
        sink.streamedStringChunk(in, ri, n);
      }
      default -> throw new IllegalStateException("payload type " + type);
    }
    return true;
  }

  private void onAggregateHeader(ByteBuf in, int s, int e, RespSink sink) {
    byte t = type;
    boolean streamed = e - s == 1 && in.getByte(s) == '?';
    if (streamed && (t == '>' || t == '|')) {
      throw error(s, "'" + (char) t + "' cannot be streamed");
    }
    if (t == '>' && depth > 0) {
      throw error(s - 1, "push inside an aggregate");
    }
    if (!streamed && t == '*' && isMinusOne(in, s, e)) {
      sink.nullValue(RespNull.NULL_ARRAY);
      valueDone(sink);
      return;
    }
    openAggregate(t, streamed ? STREAMED : parseLength(in, s, e), s, sink);
  }

  private void openAggregate(byte t, long count, int s, RespSink sink) {
    if (count > limits.maxAggregateLength()) {
      throw error(s, "aggregate of " + count + " over the limit of " + limits.maxAggregateLength());
    }
    if (t == '>' && count == 0) {
      throw error(s, "empty push");
    }
    if (count == 0) {
      sink.aggregateStart(t, 0);
      sink.aggregateEnd();
      aggregateDone(t, sink);
      return;
    }
    if (depth >= limits.maxDepth()) {
      throw error(s - 1, "nesting deeper than " + limits.maxDepth());
    }
    if (depth == frameType.length) {
      grow();
    }
    boolean streamed = count == STREAMED;
    frameType[depth] = t;
    frameRemaining[depth] = streamed ? STREAMED : (t == '%' || t == '|') ? count * 2 : count;
    frameItems[depth] = 0;
    depth++;
    attributePending[depth] = false;
    sink.aggregateStart(t, (int) count);
  }

  private void onStreamEnd(ByteBuf in, int s, int len, RespSink sink) {
    if (len != 0) {
      throw error(s, "'.' must be followed by CRLF");
    }
    int top = depth - 1;
    if (top < 0 || frameRemaining[top] != STREAMED) {
      throw error(s - 1, "'.' outside a streamed aggregate");
    }
    if (attributePending[depth]) {
      throw error(s - 1, "attribute not followed by a value");
    }
    if (frameType[top] == '%' && (frameItems[top] & 1) != 0) {
      throw error(s - 1, "streamed map with an odd number of items");
    }
    depth--;
    sink.aggregateEnd();
    aggregateDone(frameType[top], sink);
  }

  /** An aggregate closed: an attribute annotates the next value; anything else is a value. */
  private void aggregateDone(byte t, RespSink sink) {
    if (t == '|') {
      attributePending[depth] = true;
    } else {
      valueDone(sink);
    }
  }

  /** A value completed at the current depth: count it in its parent, closing finished parents. */
  private void valueDone(RespSink sink) {
    attributePending[depth] = false;
    while (depth > 0) {
      int top = depth - 1;
      long remaining = frameRemaining[top];
      if (remaining == STREAMED) {
        long items = ++frameItems[top];
        long max = frameType[top] == '%' ? 2L * limits.maxAggregateLength() : limits.maxAggregateLength();
        if (items > max) {
          throw new RespProtocolException(
              offsetBase + current.readerIndex(),
              "streamed aggregate over the limit of " + limits.maxAggregateLength());
        }
        return;
      }
      if (remaining > 1) {
        frameRemaining[top] = remaining - 1;
        return;
      }
      depth = top;
      sink.aggregateEnd();
      if (frameType[top] == '|') {
        attributePending[depth] = true;
        return;
      }
      attributePending[depth] = false;
    }
    sink.frameEnd();
  }

  private boolean readInline(ByteBuf in, RespSink sink) {
    int start = in.readerIndex();
    int end = in.writerIndex();
    int max = limits.maxLineLength();
    int stop = (int) Math.min(end, (long) start + max + 2);
    int i = start + scanned;
    while (i < stop && in.getByte(i) != '\n') {
      i++;
    }
    if (i >= stop) {
      if (i - start > max + 1) {
        throw error(start, "inline command longer than " + max + " bytes");
      }
      scanned = i - start;
      return false;
    }
    int lineEnd = i > start && in.getByte(i - 1) == '\r' ? i - 1 : i;
    in.readerIndex(i + 1);
    scanned = 0;
    state = TYPE;
    List<byte[]> args;
    try {
      args = InlineCommandSplitter.split(in, start, lineEnd);
    } catch (IllegalArgumentException ex) {
      throw error(start, ex.getMessage());
    }
    if (args.isEmpty()) {
      return true;
    }
    if (args.size() > limits.maxAggregateLength()) {
      throw error(start, "inline command with too many arguments");
    }
    sink.aggregateStart((byte) '*', args.size());
    for (byte[] arg : args) {
      sink.bulkString(io.netty.buffer.Unpooled.wrappedBuffer(arg), 0, arg.length);
    }
    sink.aggregateEnd();
    sink.frameEnd();
    return true;
  }

  private long parseInteger(ByteBuf in, int s, int e) {
    try {
      return NumberSyntax.parseLong(in, s, e);
    } catch (NumberFormatException ex) {
      throw error(s, "malformed integer: " + ex.getMessage());
    }
  }

  /** A non-negative decimal length or count, without sign or leading zeros. */
  private long parseLength(ByteBuf in, int s, int e) {
    if (s == e) {
      throw error(s, "empty length");
    }
    byte first = in.getByte(s);
    if (first < '0' || first > '9' || (first == '0' && e - s > 1)) {
      throw error(s, "malformed length");
    }
    long n = 0;
    for (int i = s; i < e; i++) {
      int d = in.getByte(i) - '0';
      if (d < 0 || d > 9) {
        throw error(i, "malformed length");
      }
      if (n > (Long.MAX_VALUE - d) / 10) {
        throw error(s, "length overflows 64 bits");
      }
      n = n * 10 + d;
    }
    return n;
  }

  private static boolean isMinusOne(ByteBuf in, int s, int e) {
    return e - s == 2 && in.getByte(s) == '-' && in.getByte(s + 1) == '1';
  }

  private void grow() {
    int n = frameType.length * 2;
    frameType = Arrays.copyOf(frameType, n);
    frameRemaining = Arrays.copyOf(frameRemaining, n);
    frameItems = Arrays.copyOf(frameItems, n);
    attributePending = Arrays.copyOf(attributePending, n + 1);
  }

  private RespProtocolException error(int index, String reason) {
    return new RespProtocolException(offsetBase + index, reason);
  }
}

package dev.vigil.resp3.codec;

/**
 * Hard limits the decoder enforces before it buffers or allocates anything, so that hostile or
 * corrupted input costs at most what was actually received. A frame over any limit is a protocol
 * error.
 *
 * @param maxBulkLength largest bulk string, bulk error or verbatim payload, and largest total of a
 *     streamed string (default 512 MiB, Valkey's {@code proto-max-bulk-len})
 * @param maxAggregateLength most elements in one array, set or push, most pairs in one map or
 *     attribute, counted the same way for streamed aggregates (default 1,048,576, as Netty's
 *     codec-redis); collections are never pre-sized from this count
 * @param maxDepth deepest nesting of aggregates (default 64; attributes count as a level)
 * @param maxLineLength longest simple string, simple error, double, big number or inline command
 *     line, without CRLF (default 64 KiB, Valkey's {@code PROTO_INLINE_MAX_SIZE})
 */
public record RespLimits(int maxBulkLength, int maxAggregateLength, int maxDepth, int maxLineLength) {
  public static final RespLimits DEFAULT = new RespLimits(512 * 1024 * 1024, 1 << 20, 64, 64 * 1024);

  public RespLimits {
    if (maxBulkLength < 0 || maxAggregateLength < 0 || maxDepth < 1 || maxLineLength < 20) {
      throw new IllegalArgumentException(
          "limits must be non-negative, depth >= 1 and line length >= 20");
    }
  }

  public RespLimits withMaxBulkLength(int value) {
    return new RespLimits(value, maxAggregateLength, maxDepth, maxLineLength);
  }

  public RespLimits withMaxAggregateLength(int value) {
    return new RespLimits(maxBulkLength, value, maxDepth, maxLineLength);
  }

  public RespLimits withMaxDepth(int value) {
    return new RespLimits(maxBulkLength, maxAggregateLength, value, maxLineLength);
  }

  public RespLimits withMaxLineLength(int value) {
    return new RespLimits(maxBulkLength, maxAggregateLength, maxDepth, value);
  }
}

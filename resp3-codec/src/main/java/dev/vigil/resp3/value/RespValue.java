package dev.vigil.resp3.value;

import io.netty.util.ReferenceCounted;

/**
 * A RESP3 (or RESP2) value: an immutable tree.
 *
 * <p><b>Reference counting.</b> Values that carry a payload ({@link BulkString}, {@link BulkError},
 * {@link VerbatimString}) hold it in a {@link io.netty.buffer.ByteBuf}. A decoder configured for
 * zero-copy hands out payloads as retained slices of its input, and then whoever receives a value
 * owns it and must {@link #release()} it exactly once (Netty's pipeline tail does so for unhandled
 * messages). {@code retain}/{@code release} on an aggregate act on every payload below it. Values
 * built by the factories in {@link Resp} or decoded in copy mode are heap-backed: releasing them is
 * allowed but never needed. Payload-free values ignore reference counting altogether.
 */
public sealed interface RespValue extends ReferenceCounted
    permits SimpleString, SimpleError, RespInteger, RespDouble, BigNumber, RespBoolean, RespNull,
        BulkString, BulkError, VerbatimString, RespArray, RespSet, RespMap, Push, Attributed {

  /** The RESP type of this value. */
  RespType type();

  @Override
  default int refCnt() {
    return 1;
  }

  @Override
  default RespValue retain() {
    return this;
  }

  @Override
  default RespValue retain(int increment) {
    return this;
  }

  @Override
  default RespValue touch() {
    return this;
  }

  @Override
  default RespValue touch(Object hint) {
    return this;
  }

  @Override
  default boolean release() {
    return false;
  }

  @Override
  default boolean release(int decrement) {
    return false;
  }

  /** True for the three null kinds. */
  default boolean isNull() {
    return false;
  }

  /** True for simple and bulk errors. */
  default boolean isError() {
    return false;
  }
}

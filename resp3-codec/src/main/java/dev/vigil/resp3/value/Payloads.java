package dev.vigil.resp3.value;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import java.nio.charset.StandardCharsets;

/** Shared helpers for the payload-carrying values; equality is by content, never by identity. */
final class Payloads {
  private Payloads() {}

  static boolean contentEquals(ByteBuf a, ByteBuf b) {
    return ByteBufUtil.equals(a, a.readerIndex(), b, b.readerIndex(), a.readableBytes())
        && a.readableBytes() == b.readableBytes();
  }

  static int contentHash(ByteBuf buf) {
    return ByteBufUtil.hashCode(buf);
  }

  static String preview(ByteBuf buf) {
    int n = Math.min(buf.readableBytes(), 64);
    String text = buf.toString(buf.readerIndex(), n, StandardCharsets.UTF_8);
    return n < buf.readableBytes() ? text + "...(" + buf.readableBytes() + " bytes)" : text;
  }
}

package dev.vigil.resp3.codec;

import dev.vigil.resp3.value.RespValue;
import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandler.Sharable;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.MessageToByteEncoder;

/**
 * Encodes {@link RespValue}s and {@link RespCommand}s. Stateless, so one instance can serve every
 * channel. Values written here are released after encoding, as Netty's encoders do.
 */
@Sharable
public final class RespEncoder extends MessageToByteEncoder<Object> {
  public static final RespEncoder INSTANCE = new RespEncoder();

  @Override
  public boolean acceptOutboundMessage(Object msg) {
    return msg instanceof RespValue || msg instanceof RespCommand;
  }

  @Override
  protected void encode(ChannelHandlerContext ctx, Object msg, ByteBuf out) {
    if (msg instanceof RespCommand c) {
      RespWriter.writeCommand(out, c.args());
    } else {
      RespWriter.write(out, (RespValue) msg);
    }
  }
}

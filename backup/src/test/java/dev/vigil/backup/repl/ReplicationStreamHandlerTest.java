package dev.vigil.backup.repl;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

class ReplicationStreamHandlerTest {
  private static final List<ReplicationStreamHandler.Expected> HANDSHAKE = List.of(
      new ReplicationStreamHandler.Expected("AUTH", false),
      new ReplicationStreamHandler.Expected("REPLCONF rdb-only", true));

  private static byte[] payload(int n) {
    byte[] p = new byte[n];
    new Random(n).nextBytes(p);
    return p;
  }

  private static byte[] concat(byte[]... parts) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    for (byte[] p : parts) {
      out.writeBytes(p);
    }
    return out.toByteArray();
  }

  private static byte[] ascii(String s) {
    return s.getBytes(StandardCharsets.ISO_8859_1);
  }

  /** Feeds {@code wire} cut at {@code cut} and returns what the pipe delivered. */
  private static Result feed(byte[] wire, int cut) throws IOException {
    PayloadPipe pipe = new PayloadPipe(Long.MAX_VALUE, 1000);
    ReplicationStreamHandler h = new ReplicationStreamHandler(HANDSHAKE, null, pipe);
    EmbeddedChannel ch = new EmbeddedChannel(h);
    ch.writeInbound(Unpooled.wrappedBuffer(Arrays.copyOfRange(wire, 0, cut)));
    if (ch.isOpen()) {
      ch.writeInbound(Unpooled.wrappedBuffer(Arrays.copyOfRange(wire, cut, wire.length)));
    }
    SyncStart start = h.start().getNow(null);
    byte[] got = readAll(pipe);
    ch.finishAndReleaseAll();
    return new Result(start, got);
  }

  record Result(SyncStart start, byte[] rdb) {}

  private static byte[] readAll(InputStream in) throws IOException {
    return in.readAllBytes();
  }

  @Test
  void lengthFormAtEverySplit() throws IOException {
    byte[] rdb = payload(300);
    byte[] wire = concat(ascii("+OK\r\n-ERR Unrecognized REPLCONF option\r\n+FULLRESYNC abc 42\r\n\n\n$300\r\n"),
        rdb, ascii("*1\r\n$4\r\nPING\r\n"));
    for (int cut = 0; cut <= wire.length; cut++) {
      Result r = feed(wire, cut);
      assertThat(r.start()).as("cut %d", cut).isEqualTo(new SyncStart("abc", 42, 300));
      assertThat(r.rdb()).as("cut %d", cut).isEqualTo(rdb);
    }
  }

  @Test
  void disklessFormAtEverySplit() throws IOException {
    byte[] rdb = payload(200);
    String mark = "0123456789abcdef0123456789abcdef01234567";
    byte[] wire = concat(ascii("+OK\r\n+OK\r\n+FULLRESYNC r1 7\r\n$EOF:" + mark + "\r\n"), rdb,
        ascii(mark));
    for (int cut = 0; cut <= wire.length; cut++) {
      Result r = feed(wire, cut);
      assertThat(r.start()).as("cut %d", cut).isEqualTo(new SyncStart("r1", 7, -1));
      assertThat(r.rdb()).as("cut %d", cut).isEqualTo(rdb);
    }
  }

  @Test
  void disklessFormInSmallPieces() throws IOException {
    byte[] rdb = payload(500);
    String mark = "ZYXWVUTSRQPONMLKJIHGFEDCBAzyxwvutsrqponm";
    byte[] wire = concat(ascii("+OK\r\n+OK\r\n+FULLRESYNC r1 7\r\n\n$EOF:" + mark + "\r\n"), rdb,
        ascii(mark));
    for (int piece : new int[] {1, 2, 7, 39, 40, 41, 97}) {
      PayloadPipe pipe = new PayloadPipe(Long.MAX_VALUE, 1000);
      EmbeddedChannel ch = new EmbeddedChannel(new ReplicationStreamHandler(HANDSHAKE, null, pipe));
      for (int i = 0; i < wire.length && ch.isOpen(); i += piece) {
        ch.writeInbound(Unpooled.wrappedBuffer(Arrays.copyOfRange(wire, i, Math.min(wire.length, i + piece))));
      }
      assertThat(pipe.readAllBytes()).as("pieces of %d", piece).isEqualTo(rdb);
      ch.finishAndReleaseAll();
    }
  }

  @Test
  void aSelfOverlappingMarkAfterNearMissesIsFoundInEveryPiecing() throws IOException {
    String mark = "ab".repeat(19) + "ac"; // 40 bytes whose prefixes recur in themselves
    byte[] rdb = ascii("xx" + "ab".repeat(25) + "a" + "ab".repeat(19) + "ad" + "yy");
    byte[] wire = concat(ascii("+OK\r\n+OK\r\n+FULLRESYNC r1 7\r\n$EOF:" + mark + "\r\n"), rdb,
        ascii(mark), ascii("ignored"));
    for (int piece = 1; piece <= 45; piece++) {
      PayloadPipe pipe = new PayloadPipe(Long.MAX_VALUE, 1000);
      EmbeddedChannel ch = new EmbeddedChannel(new ReplicationStreamHandler(HANDSHAKE, null, pipe));
      for (int i = 0; i < wire.length && ch.isOpen(); i += piece) {
        ch.writeInbound(Unpooled.wrappedBuffer(Arrays.copyOfRange(wire, i, Math.min(wire.length, i + piece))));
      }
      assertThat(pipe.readAllBytes()).as("pieces of %d", piece).isEqualTo(rdb);
      ch.finishAndReleaseAll();
    }
  }

  @Test
  void aRefusedAuthFailsWithTheServersWords() {
    PayloadPipe pipe = new PayloadPipe(Long.MAX_VALUE, 1000);
    ReplicationStreamHandler h = new ReplicationStreamHandler(HANDSHAKE, null, pipe);
    EmbeddedChannel ch = new EmbeddedChannel(h);
    ch.writeInbound(Unpooled.wrappedBuffer(ascii("-WRONGPASS invalid username-password pair\r\n")));
    assertThat(h.start()).isCompletedExceptionally();
    assertThatThrownBy(pipe::readAllBytes).hasMessageContaining("AUTH refused: WRONGPASS");
    assertThat(ch.isOpen()).isFalse();
  }

  @Test
  void aReplicaWithoutItsMasterRefusesPsync() {
    PayloadPipe pipe = new PayloadPipe(Long.MAX_VALUE, 1000);
    ReplicationStreamHandler h = new ReplicationStreamHandler(HANDSHAKE, null, pipe);
    EmbeddedChannel ch = new EmbeddedChannel(h);
    ch.writeInbound(Unpooled.wrappedBuffer(ascii(
        "+OK\r\n+OK\r\n-NOMASTERLINK Can't SYNC while not connected with my master\r\n")));
    assertThatThrownBy(pipe::readAllBytes).hasMessageContaining("PSYNC refused: NOMASTERLINK");
  }

  @Test
  void aConnectionLostMidPayloadIsAFailureNotAShortRdb() {
    PayloadPipe pipe = new PayloadPipe(Long.MAX_VALUE, 1000);
    ReplicationStreamHandler h = new ReplicationStreamHandler(HANDSHAKE, null, pipe);
    EmbeddedChannel ch = new EmbeddedChannel(h);
    ch.writeInbound(Unpooled.wrappedBuffer(concat(ascii("+OK\r\n+OK\r\n+FULLRESYNC a 1\r\n$1000\r\n"),
        payload(10))));
    ch.close();
    assertThatThrownBy(pipe::readAllBytes)
        .hasMessageContaining("closed the connection after 10 bytes of the RDB (990 still to come)");
  }

  @Test
  void backPressureStopsAndResumesReading() throws IOException {
    PayloadPipe pipe = new PayloadPipe(100, 1000);
    ReplicationStreamHandler h = new ReplicationStreamHandler(List.of(), null, pipe);
    EmbeddedChannel ch = new EmbeddedChannel(h);
    pipe.valve(on -> ch.config().setAutoRead(on));
    ch.writeInbound(Unpooled.wrappedBuffer(ascii("+FULLRESYNC a 1\r\n$1000\r\n")));
    ch.writeInbound(Unpooled.wrappedBuffer(payload(150)));
    assertThat(ch.config().isAutoRead()).isFalse();
    byte[] buf = new byte[120];
    assertThat(pipe.read(buf, 0, 120)).isEqualTo(120);
    assertThat(ch.config().isAutoRead()).isTrue();
    ch.finishAndReleaseAll();
  }
}

package dev.vigil.resp3.bench;

import io.netty.buffer.ByteBuf;

/** The floors: what touching every input byte once costs, without any parsing. */
final class Rooflines {
  private Rooflines() {}

  /** A plain byte loop over the same buffers, counting LFs: the least a byte-wise parser does. */
  static final class Scan implements Contender {
    private final Feed feed;

    Scan(Feed feed) {
      this.feed = feed;
    }

    @Override
    public long decodeAll() {
      long lfs = 0;
      for (int f = 0, n = feed.fragmentCount(); f < n; f++) {
        ByteBuf b = feed.fragment(f);
        for (int i = 0, end = b.writerIndex(); i < end; i++) {
          if (b.getByte(i) == '\n') {
            lfs++;
          }
        }
      }
      return lfs;
    }

    @Override
    public Tally tally() {
      return new Tally(0, 0, 0, 0);
    }

    @Override
    public void close() {}
  }

  /** A memcpy of the same buffers into one destination: the floor of a copying decoder. */
  static final class Copy implements Contender {
    private final Feed feed;
    private final ByteBuf target;

    Copy(Feed feed) {
      this.feed = feed;
      this.target = Feed.ALLOC.directBuffer(feed.length(), feed.length());
    }

    @Override
    public long decodeAll() {
      target.clear();
      for (int f = 0, n = feed.fragmentCount(); f < n; f++) {
        ByteBuf b = feed.fragment(f);
        target.writeBytes(b, 0, b.writerIndex());
      }
      return target.writerIndex();
    }

    @Override
    public Tally tally() {
      return new Tally(0, 0, 0, 0);
    }

    @Override
    public void close() {
      target.release();
    }
  }
}

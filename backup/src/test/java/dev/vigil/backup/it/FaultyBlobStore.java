package dev.vigil.backup.it;

import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.jclouds.blobstore.BlobStore;
import org.jclouds.blobstore.domain.Blob;
import org.jclouds.blobstore.options.GetOptions;
import org.jclouds.io.MutableContentMetadata;
import org.jclouds.io.payloads.ByteArrayPayload;
import org.jclouds.io.payloads.InputStreamPayload;
import org.jclouds.blobstore.domain.MultipartPart;
import org.jclouds.blobstore.domain.MultipartUpload;
import org.jclouds.blobstore.util.ForwardingBlobStore;
import org.jclouds.io.Payload;

/**
 * The in-process S3's storage, with faults to switch on: part uploads from a given part number
 * fail, so S3 answers 500 in the middle of a multipart upload as a failing store would; and
 * downloads trickle at a given rate, as from a store that is slow but never silent long enough
 * for a socket timeout; and parts from a given number held once received (the whole part read,
 * its write waiting for a release), as a store that is slow to answer a part it already has.
 */
final class FaultyBlobStore extends ForwardingBlobStore {
  private volatile int failPartsFrom = Integer.MAX_VALUE;
  private volatile int downloadBytesPerSecond;
  private volatile int holdPartsFrom = Integer.MAX_VALUE;
  private final CountDownLatch release = new CountDownLatch(1);
  private final AtomicInteger held = new AtomicInteger();

  FaultyBlobStore(BlobStore delegate) {
    super(delegate);
  }

  void failPartsFrom(int partNumber) {
    this.failPartsFrom = partNumber;
  }

  void holdPartsFrom(int partNumber) {
    this.holdPartsFrom = partNumber;
  }

  /** Parts received and not yet written (held, or being written after their release). */
  int partsHeld() {
    return held.get();
  }

  void releaseParts() {
    release.countDown();
  }

  void trickleDownloads(int bytesPerSecond) {
    this.downloadBytesPerSecond = bytesPerSecond;
  }

  @Override
  public Blob getBlob(String container, String name, GetOptions options) {
    return trickle(super.getBlob(container, name, options));
  }

  @Override
  public Blob getBlob(String container, String name) {
    return trickle(super.getBlob(container, name));
  }

  private Blob trickle(Blob blob) {
    int rate = downloadBytesPerSecond;
    if (blob == null || rate <= 0 || name(blob).endsWith(".json")) {
      return blob;
    }
    try {
      MutableContentMetadata md = blob.getPayload().getContentMetadata();
      InputStream in = blob.getPayload().openStream();
      blob.setPayload(new InputStreamPayload(new TricklingStream(in, rate)));
      blob.getPayload().setContentMetadata(md);
      return blob;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static String name(Blob blob) {
    return blob.getMetadata().getName();
  }

  /** Hands out at most {@code rate / 10} bytes every 100 ms. */
  private static final class TricklingStream extends FilterInputStream {
    private final int slice;

    TricklingStream(InputStream in, int rate) {
      super(in);
      this.slice = Math.max(1, rate / 10);
    }

    @Override
    public int read(byte[] b, int off, int len) throws IOException {
      try {
        Thread.sleep(100);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new java.io.InterruptedIOException();
      }
      return super.read(b, off, Math.min(len, slice));
    }
  }

  @Override
  public MultipartPart uploadMultipartPart(MultipartUpload mpu, int partNumber, Payload payload) {
    if (partNumber >= failPartsFrom) {
      throw new IllegalStateException("injected storage failure at part " + partNumber);
    }
    if (partNumber >= holdPartsFrom) {
      return held(mpu, partNumber, payload);
    }
    return super.uploadMultipartPart(mpu, partNumber, payload);
  }

  private MultipartPart held(MultipartUpload mpu, int partNumber, Payload payload) {
    held.incrementAndGet();
    try (InputStream in = payload.openStream()) {
      byte[] body = in.readAllBytes();
      if (!release.await(120, TimeUnit.SECONDS)) {
        throw new IllegalStateException("part " + partNumber + " held for 120 s");
      }
      return super.uploadMultipartPart(mpu, partNumber, new ByteArrayPayload(body));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    } finally {
      held.decrementAndGet();
    }
  }
}

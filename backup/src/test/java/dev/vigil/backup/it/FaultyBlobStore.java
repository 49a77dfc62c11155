package dev.vigil.backup.it;

import org.jclouds.blobstore.BlobStore;
import org.jclouds.blobstore.domain.MultipartPart;
import org.jclouds.blobstore.domain.MultipartUpload;
import org.jclouds.blobstore.util.ForwardingBlobStore;
import org.jclouds.io.Payload;

/**
 * The in-process S3's storage, with one fault to switch on: part uploads from a given part number
 * fail, so S3 answers 500 in the middle of a multipart upload as a failing store would.
 */
final class FaultyBlobStore extends ForwardingBlobStore {
  private volatile int failPartsFrom = Integer.MAX_VALUE;

  FaultyBlobStore(BlobStore delegate) {
    super(delegate);
  }

  void failPartsFrom(int partNumber) {
    this.failPartsFrom = partNumber;
  }

  @Override
  public MultipartPart uploadMultipartPart(MultipartUpload mpu, int partNumber, Payload payload) {
    if (partNumber >= failPartsFrom) {
      throw new IllegalStateException("injected storage failure at part " + partNumber);
    }
    return super.uploadMultipartPart(mpu, partNumber, payload);
  }
}

package dev.vigil.resp3.tls;

import java.io.ByteArrayOutputStream;
import java.util.Base64;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Private keys in PEM as the JDK and Netty read them. cert-manager writes RSA keys in PKCS#1
 * ({@code BEGIN RSA PRIVATE KEY}) by default, and so do many users' Secrets; without BouncyCastle
 * neither the JDK nor Netty reads that form, only PKCS#8. Every component that loads a key (the
 * daemon, the backup agent, the operator's links) goes through here.
 */
public final class PemKeys {
  private static final Pattern RSA_PKCS1 = Pattern.compile(
      "-----BEGIN RSA PRIVATE KEY-----([^-]+)-----END RSA PRIVATE KEY-----");
  /** AlgorithmIdentifier { rsaEncryption, NULL }. */
  private static final byte[] RSA_ALGORITHM = {0x30, 0x0d, 0x06, 0x09, 0x2a, (byte) 0x86, 0x48,
      (byte) 0x86, (byte) 0xf7, 0x0d, 0x01, 0x01, 0x01, 0x05, 0x00};
  private static final byte[] VERSION_0 = {0x02, 0x01, 0x00};

  private PemKeys() {}

  /** The same PEM with a PKCS#1 RSA key rewrapped as PKCS#8; any other text unchanged. */
  public static String pkcs8(String pem) {
    Matcher pkcs1 = RSA_PKCS1.matcher(pem);
    if (!pkcs1.find()) {
      return pem;
    }
    byte[] der = Base64.getMimeDecoder().decode(pkcs1.group(1).strip());
    return "-----BEGIN PRIVATE KEY-----\n"
        + Base64.getMimeEncoder().encodeToString(pkcs8OfRsa(der))
        + "\n-----END PRIVATE KEY-----\n";
  }

  /** PrivateKeyInfo { version 0, rsaEncryption, OCTET STRING pkcs1 }. */
  static byte[] pkcs8OfRsa(byte[] pkcs1) {
    ByteArrayOutputStream body = new ByteArrayOutputStream();
    body.writeBytes(VERSION_0);
    body.writeBytes(RSA_ALGORITHM);
    body.writeBytes(tlv(0x04, pkcs1));
    return tlv(0x30, body.toByteArray());
  }

  static byte[] tlv(int tag, byte[] value) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    out.write(tag);
    int n = value.length;
    if (n < 0x80) {
      out.write(n);
    } else {
      int bytes = n > 0xffffff ? 4 : n > 0xffff ? 3 : n > 0xff ? 2 : 1;
      out.write(0x80 | bytes);
      for (int i = bytes - 1; i >= 0; i--) {
        out.write(n >>> (8 * i));
      }
    }
    out.writeBytes(value);
    return out.toByteArray();
  }
}

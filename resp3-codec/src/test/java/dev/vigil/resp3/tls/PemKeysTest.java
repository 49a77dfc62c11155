package dev.vigil.resp3.tls;

import static org.assertj.core.api.Assertions.assertThat;

import java.security.KeyFactory;
import java.security.KeyPairGenerator;
import java.security.PrivateKey;
import java.security.spec.PKCS8EncodedKeySpec;
import java.util.Arrays;
import java.util.Base64;
import org.junit.jupiter.api.Test;

class PemKeysTest {
  @Test
  void aPkcs1RsaKeyIsRewrappedAsTheSamePkcs8Key() throws Exception {
    KeyPairGenerator g = KeyPairGenerator.getInstance("RSA");
    g.initialize(2048);
    PrivateKey key = g.generateKeyPair().getPrivate();
    byte[] pkcs8 = key.getEncoded();
    byte[] pkcs1 = innerOctetString(pkcs8);
    String pem = "-----BEGIN RSA PRIVATE KEY-----\n"
        + Base64.getMimeEncoder().encodeToString(pkcs1) + "\n-----END RSA PRIVATE KEY-----\n";

    String converted = PemKeys.pkcs8(pem);
    assertThat(converted).startsWith("-----BEGIN PRIVATE KEY-----");
    byte[] der = Base64.getMimeDecoder().decode(converted
        .replace("-----BEGIN PRIVATE KEY-----", "").replace("-----END PRIVATE KEY-----", "").strip());
    assertThat(der).isEqualTo(pkcs8);
    assertThat(KeyFactory.getInstance("RSA").generatePrivate(new PKCS8EncodedKeySpec(der)))
        .isEqualTo(key);
  }

  @Test
  void otherPemIsLeftAlone() {
    String pkcs8 = "-----BEGIN PRIVATE KEY-----\nAAAA\n-----END PRIVATE KEY-----\n";
    assertThat(PemKeys.pkcs8(pkcs8)).isSameAs(pkcs8);
    String ec = "-----BEGIN EC PRIVATE KEY-----\nAAAA\n-----END EC PRIVATE KEY-----\n";
    assertThat(PemKeys.pkcs8(ec)).isSameAs(ec);
  }

  @Test
  void longFormLengthsAreEncodedBigEndian() {
    byte[] value = new byte[300];
    byte[] tlv = PemKeys.tlv(0x04, value);
    assertThat(Arrays.copyOf(tlv, 4)).containsExactly(0x04, 0x82, 0x01, 0x2c);
    assertThat(tlv).hasSize(304);
  }

  /** The PKCS#1 key inside a JDK PKCS#8 RSA encoding: the last element, an OCTET STRING. */
  private static byte[] innerOctetString(byte[] pkcs8) {
    int i = 1 + lengthBytes(pkcs8, 1); // outer SEQUENCE header
    i += 3; // INTEGER 0
    i += 2 + pkcs8[i + 1]; // AlgorithmIdentifier
    int header = 1 + lengthBytes(pkcs8, i + 1);
    return Arrays.copyOfRange(pkcs8, i + header, pkcs8.length);
  }

  private static int lengthBytes(byte[] der, int at) {
    return (der[at] & 0x80) == 0 ? 1 : 1 + (der[at] & 0x7f);
  }
}

package dev.vigil.resp3.value;

/** RESP value types with their wire prefix byte. */
public enum RespType {
  SIMPLE_STRING('+'),
  SIMPLE_ERROR('-'),
  INTEGER(':'),
  DOUBLE(','),
  BIG_NUMBER('('),
  BOOLEAN('#'),
  NULL('_'),
  BULK_STRING('$'),
  BULK_ERROR('!'),
  VERBATIM_STRING('='),
  ARRAY('*'),
  SET('~'),
  MAP('%'),
  PUSH('>'),
  ATTRIBUTE('|');

  private final byte prefix;

  RespType(char prefix) {
    this.prefix = (byte) prefix;
  }

  public byte prefix() {
    return prefix;
  }
}

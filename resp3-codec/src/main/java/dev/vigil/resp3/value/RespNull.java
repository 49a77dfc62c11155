package dev.vigil.resp3.value;

/**
 * The three nulls. RESP3's {@code _} and RESP2's {@code $-1} and {@code *-1} mean the same to a
 * client but stay distinguishable so that re-encoding a decoded value gives the same bytes.
 */
public enum RespNull implements RespValue {
  /** RESP3 {@code _}. */
  NULL,
  /** RESP2 {@code $-1}. */
  NULL_BULK,
  /** RESP2 {@code *-1}. */
  NULL_ARRAY;

  @Override
  public RespType type() {
    return switch (this) {
      case NULL -> RespType.NULL;
      case NULL_BULK -> RespType.BULK_STRING;
      case NULL_ARRAY -> RespType.ARRAY;
    };
  }

  @Override
  public boolean isNull() {
    return true;
  }

  @Override
  public String toString() {
    return switch (this) {
      case NULL -> "_";
      case NULL_BULK -> "$-1";
      case NULL_ARRAY -> "*-1";
    };
  }
}

package dev.vigil.sentinel.cli;

import dev.vigil.sentinel.config.Address;
import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.TypeConversionException;

/** HOST:PORT options; a malformed one is a usage error (exit code 2), not a failure. */
final class AddressConverter implements ITypeConverter<Address> {
  @Override
  public Address convert(String value) {
    try {
      return Address.parse(value);
    } catch (IllegalArgumentException e) {
      throw new TypeConversionException(e.getMessage());
    }
  }
}

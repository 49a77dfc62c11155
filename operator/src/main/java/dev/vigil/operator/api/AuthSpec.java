package dev.vigil.operator.api;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Default;

/** The group's password: from an existing Secret, or generated once and kept. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class AuthSpec {
  @JsonPropertyDescription("Name of an existing Secret holding the password; generated when unset.")
  public String existingSecret;

  @Default("password")
  @JsonPropertyDescription("Key of the password in that Secret.")
  public String passwordKey = "password";
}

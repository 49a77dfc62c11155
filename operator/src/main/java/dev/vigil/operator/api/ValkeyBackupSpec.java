package dev.vigil.operator.api;

import com.fasterxml.jackson.annotation.JsonInclude;
import io.fabric8.generator.annotation.ValidationRule;

/** A backup's spec: taken once, so it cannot change afterwards. */
@JsonInclude(JsonInclude.Include.NON_NULL)
@ValidationRule(value = "self == oldSelf", message = "a backup's spec cannot change; create another backup")
public class ValkeyBackupSpec extends BackupTemplate {}

package dev.vigil.backup.agent;

import java.nio.file.Path;
import java.time.Duration;

/**
 * One restore to do.
 *
 * @param key the RDB object's key (or its manifest's)
 * @param dir the server's data directory
 * @param force replace the RDB in a non-empty directory
 * @param dbfilename the server's {@code dbfilename}
 * @param appendfilename the server's {@code appendfilename}
 * @param appenddirname the server's {@code appenddirname}
 * @param progressEvery how often to log progress
 * @param deadline how long the download may take before it is abandoned, or zero for no bound
 * @param stallWindow the download is abandoned when less than 1 MiB arrives in this long, or
 *     zero for no such check
 */
public record RestoreRequest(String key, Path dir, boolean force, String dbfilename,
    String appendfilename, String appenddirname, Duration progressEvery, Duration deadline,
    Duration stallWindow) {}

package dev.vigil.backup.cli;

/** {@code -o table} for people, {@code -o json} for scripts, as in the rest of the CLI. */
enum Output { table, json }

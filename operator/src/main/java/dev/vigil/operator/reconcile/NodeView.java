package dev.vigil.operator.reconcile;

import dev.vigil.operator.master.HostPort;

/**
 * A Valkey pod as the plans need it.
 *
 * @param uid the pod's uid: a command's outcome counts for this pod only, not for a pod of the
 *     same name created after it (which reads its settings from its configuration again)
 * @param reachable running with an address, not on its way out
 * @param address where its Valkey listens
 */
record NodeView(String name, int ordinal, String uid, boolean reachable, HostPort address) {}

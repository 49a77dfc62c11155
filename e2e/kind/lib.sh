#!/usr/bin/env bash
# Shared by the Kind tests: tool checks, waits, and small helpers over kubectl.
set -euo pipefail

NS="${VIGIL_E2E_NAMESPACE:-vigil-e2e}"
CR="${VIGIL_E2E_CLUSTER:-cache}"
HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
ROOT="$(cd "$HERE/../.." && pwd)"

# Exits 0 with a clear message when the tools a real cluster needs are missing: these tests are
# skipped, not failed, on machines without Docker.
require_tools() {
  local missing=()
  for t in docker kind kubectl helm; do
    command -v "$t" >/dev/null 2>&1 || missing+=("$t")
  done
  if [ ${#missing[@]} -gt 0 ]; then
    echo "SKIPPED: $(basename "$0") needs ${missing[*]} on PATH (a Docker engine, kind, kubectl, helm)"
    exit 0
  fi
  if ! docker info >/dev/null 2>&1; then
    echo "SKIPPED: $(basename "$0") needs a running Docker engine ('docker info' failed)"
    exit 0
  fi
}

log() { echo "[$(date +%H:%M:%S)] $*"; }
fail() { echo "FAILED: $*" >&2; exit 1; }

# wait_for SECONDS DESCRIPTION COMMAND...: retries COMMAND every second until it succeeds.
wait_for() {
  local seconds=$1 what=$2; shift 2
  local deadline=$((SECONDS + seconds))
  until "$@" >/dev/null 2>&1; do
    [ $SECONDS -lt $deadline ] || fail "timed out after ${seconds}s waiting for: $what"
    sleep 1
  done
}

k() { kubectl -n "$NS" "$@"; }

# The pod the write Service selects (the operator keeps it on the elected master).
write_service_pod() {
  k get service "$CR" -o jsonpath='{.spec.selector.statefulset\.kubernetes\.io/pod-name}'
}

# The pod whose Valkey says role:master.
actual_master_pod() {
  for p in $(k get pods -l "app.kubernetes.io/instance=$CR" -o jsonpath='{.items[*].metadata.name}'); do
    if k exec "$p" -c valkey -- valkey-cli -a "$(password)" --no-auth-warning info replication \
        2>/dev/null | grep -q '^role:master'; then
      echo "$p"
      return 0
    fi
  done
  return 1
}

password() {
  k get secret "$CR-connection" -o jsonpath='{.data.password}' | base64 -d
}

ready_replicas() {
  k get valkeycluster "$CR" -o jsonpath='{.status.readyReplicas}'
}

cluster_ready() {
  [ "$(k get valkeycluster "$CR" -o jsonpath='{.status.phase}')" = "Ready" ]
}

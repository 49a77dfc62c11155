#!/usr/bin/env bash
# Creates the sample ValkeyCluster and checks every sub-resource, replication, and that the write
# Service selects the actual master.
source "$(dirname "$0")/lib.sh"
require_tools

k apply -f "$HERE/sample-cr.yaml"
wait_for 300 "ValkeyCluster $CR Ready" cluster_ready

for r in "statefulset/$CR" "service/$CR" "service/$CR-replicas" "service/$CR-headless" \
    "service/$CR-sentinel" "configmap/$CR" "secret/$CR-connection" "poddisruptionbudget/$CR" \
    "serviceaccount/$CR"; do
  k get "$r" >/dev/null || fail "missing $r"
  owner=$(k get "$r" -o jsonpath='{.metadata.ownerReferences[0].kind}')
  [ "$owner" = "ValkeyCluster" ] || fail "$r is not owned by the ValkeyCluster (owner: '$owner')"
done

[ "$(ready_replicas)" = "3" ] || fail "readyReplicas is $(ready_replicas), expected 3"
master=$(actual_master_pod) || fail "no pod reports role:master"
[ "$(write_service_pod)" = "$master" ] || fail "write Service selects $(write_service_pod), master is $master"
links=$(k exec "$master" -c valkey -- valkey-cli -a "$(password)" --no-auth-warning info replication \
  | grep -c 'state=online' || true)
[ "$links" = "2" ] || fail "master has $links online replicas, expected 2"
log "basic deploy OK: master $master, 2 replicas online, write Service on the master"

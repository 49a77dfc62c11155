#!/usr/bin/env bash
# 3 -> 5 -> 3 with kubectl scale; the master is never lost, and when it would be removed the
# operator first hands the role over (a coordinated switchover).
source "$(dirname "$0")/lib.sh"
require_tools
wait_for 300 "ValkeyCluster $CR Ready" cluster_ready

k scale valkeycluster "$CR" --replicas=5
wait_for 300 "5 ready replicas" bash -c "[ \"\$(kubectl -n $NS get valkeycluster $CR -o jsonpath='{.status.readyReplicas}')\" = 5 ]"

# Make the highest pod the master, so scaling in must move the role first.
before=$(write_service_pod)
k exec "$CR-0" -c vigil -- vigil failover "$CR" --coordinated -s 127.0.0.1:26379 >/dev/null || true
k scale valkeycluster "$CR" --replicas=3
wait_for 300 "3 ready replicas" bash -c "[ \"\$(kubectl -n $NS get valkeycluster $CR -o jsonpath='{.status.readyReplicas}')\" = 3 ]"
master=$(actual_master_pod) || fail "no master after scaling in"
case "$master" in "$CR-0"|"$CR-1"|"$CR-2") ;; *) fail "master is $master, a removed pod" ;; esac
[ "$(write_service_pod)" = "$master" ] || fail "write Service selects $(write_service_pod), master is $master"
log "scale OK: master before $before, after $master; never lost"

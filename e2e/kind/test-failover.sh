#!/usr/bin/env bash
# Deletes, then kills, the master pod while two clients write: one through the write Service,
# one through the sentinel Service (Sentinel-aware). A replica is promoted, the Service moves,
# and both clients continue.
source "$(dirname "$0")/lib.sh"
require_tools
wait_for 300 "ValkeyCluster $CR Ready" cluster_ready
PASS=$(password)

# Two writers in a throwaway pod: valkey-cli through the Service, and a loop that asks the
# sentinel Service for the master each time (what Sentinel-aware clients do).
k run writer --image=valkey/valkey:8.1 --restart=Never --env="P=$PASS" --command -- sh -c '
  i=0; while true; do i=$((i+1));
    valkey-cli -h '"$CR"' -a "$P" --no-auth-warning rpush via-service $i >/dev/null 2>&1 || echo "service write $i failed";
    m=$(valkey-cli -h '"$CR"'-sentinel -p 26379 sentinel get-master-addr-by-name '"$CR"' 2>/dev/null | head -1);
    [ -n "$m" ] && valkey-cli -h "$m" -a "$P" --no-auth-warning rpush via-sentinel $i >/dev/null 2>&1 || echo "sentinel write $i failed";
    sleep 0.1; done'
wait_for 120 "writer running" bash -c "[ \"\$(kubectl -n $NS get pod writer -o jsonpath='{.status.phase}')\" = Running ]"
trap 'k delete pod writer --now >/dev/null 2>&1 || true' EXIT

for how in delete kill; do
  old=$(actual_master_pod) || fail "no master"
  log "$how master pod $old"
  if [ "$how" = delete ]; then
    k delete pod "$old" --wait=false
  else
    k exec "$old" -c valkey -- sh -c 'kill -9 1' || true
  fi
  wait_for 120 "write Service to leave $old" bash -c "[ \"\$(kubectl -n $NS get service $CR -o jsonpath='{.spec.selector.statefulset\.kubernetes\.io/pod-name}')\" != $old ]"
  new=$(write_service_pod)
  wait_for 60 "$new to report role:master" bash -c "kubectl -n $NS exec $new -c valkey -- valkey-cli -a '$PASS' --no-auth-warning info replication | grep -q role:master"
  before_s=$(k exec "$new" -c valkey -- valkey-cli -a "$PASS" --no-auth-warning llen via-service)
  before_t=$(k exec "$new" -c valkey -- valkey-cli -a "$PASS" --no-auth-warning llen via-sentinel)
  sleep 5
  after_s=$(k exec "$new" -c valkey -- valkey-cli -a "$PASS" --no-auth-warning llen via-service)
  after_t=$(k exec "$new" -c valkey -- valkey-cli -a "$PASS" --no-auth-warning llen via-sentinel)
  [ "$after_s" -gt "$before_s" ] || fail "writes through the Service stopped after the failover"
  [ "$after_t" -gt "$before_t" ] || fail "writes through the sentinel Service stopped after the failover"
  wait_for 300 "ValkeyCluster $CR Ready again" cluster_ready
  log "$how: $old -> $new; both writers continue"
done

#!/usr/bin/env bash
# Builds the images (Jib tarballs, no Docker needed for that), creates a Kind cluster, loads the
# images, installs the chart, and runs every test. Skips cleanly without Docker/kind/kubectl/helm.
#   e2e/kind/run-all.sh            (KEEP_CLUSTER=1 to leave the cluster running afterwards)
source "$(dirname "$0")/lib.sh"
require_tools

cd "$ROOT"
log "building images (mvn ... jib:buildTar)"
mvn -B -q -DskipTests -pl sentinel-daemon,operator,backup -am package jib:buildTar
VERSION=$(mvn -q -DforceStdout help:evaluate -Dexpression=project.version)

if ! kind get clusters | grep -qx vigil-e2e; then
  log "creating Kind cluster vigil-e2e"
  kind create cluster --config "$HERE/kind-config.yaml" --wait 120s
fi
trap '[ "${KEEP_CLUSTER:-0}" = 1 ] || kind delete cluster --name vigil-e2e' EXIT
kubectl config use-context kind-vigil-e2e >/dev/null

log "loading images"
kind load image-archive sentinel-daemon/target/jib-image.tar --name vigil-e2e
kind load image-archive operator/target/jib-image.tar --name vigil-e2e
# The backup agent: ValkeyBackup Jobs and restore init containers run it.
kind load image-archive backup/target/jib-image.tar --name vigil-e2e

log "installing the chart"
kubectl create namespace "$NS" --dry-run=client -o yaml | kubectl apply -f -
helm upgrade --install vigil charts/vigil --namespace vigil-system --create-namespace \
  --set image.tag="$VERSION" --set daemonImage.tag="$VERSION" --set backupImage.tag="$VERSION" \
  --set image.pullPolicy=Never \
  --wait --timeout 5m

for t in test-basic-deploy.sh test-scale.sh test-failover.sh; do
  log "=== $t"
  "$HERE/$t"
done
log "all Kind tests passed"

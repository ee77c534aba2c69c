#!/usr/bin/env bash
# Builds services and writes each one's production bundle (dist/ + production node_modules, no workspace
# sources) to <out-root>/<service>. The Dockerfile runs exactly this, and so does the deploy-bundle boot
# test (deploy/test), so CI exercises the image build steps without a Docker engine.
#   deploy/docker/bundle.sh <out-root> <service>...
set -euo pipefail
[ $# -ge 2 ] || { echo "usage: $0 <out-root> <service>..." >&2; exit 2; }
out_root=$1
shift
cd "$(dirname "$0")/../.."

filters=()
for service in "$@"; do filters+=("--filter=@switchboard/${service}..."); done
# Production resolves @switchboard/* to dist/ (the @switchboard/source condition is for development).
pnpm exec turbo run build "${filters[@]}" --output-logs=errors-only

mkdir -p "$out_root"
for service in "$@"; do
  out="$out_root/$service"
  rm -rf "$out"
  # pnpm 10's deploy derives the bundle's lockfile from the workspace lockfile (same versions as CI tested)
  # and copies workspace dependencies' published files (dist/); it needs injected workspace packages for
  # that, set for this command only so development keeps its symlinks. --offline: everything comes from
  # the store `pnpm install` filled, so the bundle never resolves anything anew from the registry.
  pnpm --config.inject-workspace-packages=true --filter "@switchboard/${service}" deploy --prod --offline "$out" \
    --reporter=append-only >/dev/null
  test -f "$out/dist/main.js" || { echo "bundle of $service lacks dist/main.js" >&2; exit 1; }
  echo "bundled $service into $out"
done

#!/usr/bin/env bash
# Smoke test of the benchmark harness: a tiny load from sluice-loadgen into a real server, then
# the counts must add up: every acknowledged record is found exactly once in the delivered
# objects, counted both by the load generator's watcher and independently here. No timing.
# Environment: SLUICE_BIN, LOADGEN_BIN. Listens on 127.0.0.1 only; every wait is bounded.
set -euo pipefail
: "${SLUICE_BIN:?}" "${LOADGEN_BIN:?}"
TMP="$(mktemp -d "${TMPDIR:-/tmp}/sluice-bench-smoke.XXXXXX")"
PID=""
cleanup() {
  if [[ -n "$PID" ]]; then
    kill -KILL "$PID" 2>/dev/null || true
    { wait "$PID"; } 2>/dev/null || true
  fi
  rm -rf "$TMP"
}
trap cleanup EXIT
fail() { echo "FAIL: $*" >&2; tail -n 20 "$TMP/server.log" >&2 || true; exit 1; }

# The log exists before the background redirection opens it, for the polling below.
: >"$TMP/server.log"
"$SLUICE_BIN" serve --listen 127.0.0.1:0 --data-dir "$TMP/data" 2>"$TMP/server.log" &
PID=$!
PORT=""
for ((i = 0; i < 100; i++)); do
  PORT="$(sed -n 's/.*listening on 127\.0\.0\.1:\([0-9]*\).*/\1/p' "$TMP/server.log" | head -n1)"
  [[ -n "$PORT" ]] && break
  sleep 0.1
done
[[ -n "$PORT" ]] || fail "server did not start"

# About 200 records of ~1 KiB in 50-record batches from 2 connections, delivered at once.
OUT="$("$LOADGEN_BIN" put --port "$PORT" --stream smoke --create --connections 2 --batch 50 \
  --total-mb 0.2 --interval 0 --watch-dir "$TMP/data/buckets/smoke" --watch-timeout 60)" ||
  fail "loadgen: $OUT"
echo "$OUT"
acked="$(jq -r .acked_records <<<"$OUT")"
((acked >= 150)) || fail "expected about 200 acknowledged records, got $acked"
[[ "$(jq -r .acked_bytes <<<"$OUT")" -gt 0 ]] || fail "no payload bytes counted"
[[ "$(jq -r .delivered_records <<<"$OUT")" == "$acked" ]] || fail "watcher saw a different count"
[[ "$(jq -r .delivered_unacknowledged <<<"$OUT")" == 0 ]] || fail "unacknowledged records delivered"
[[ "$(jq -r .latency_ms.count <<<"$OUT")" == "$(jq -r .requests <<<"$OUT")" ]] ||
  fail "one latency sample per request expected"

# Independent count: every record starts with {"rqid":", objects are uncompressed.
found="$(find "$TMP/data/buckets/smoke" -type f ! -name '.*' -exec cat {} + | grep -o '{"rqid":"' | wc -l)"
[[ "$found" == "$acked" ]] || fail "acknowledged $acked records, found $found in delivered objects"
echo "ok: $acked records acknowledged and delivered"

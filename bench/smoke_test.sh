#!/usr/bin/env bash
# Smoke test of the benchmark harness: tiny loads from sluice-loadgen into a real server, then
# the counts must add up: every acknowledged record is found exactly once in the delivered
# objects, counted both by the load generator's watcher and independently here, for plain, GZIP
# and ZSTD objects and for Parquet (rows counted by the watcher from the footer, and by DuckDB).
# No timing. Environment: SLUICE_BIN, LOADGEN_BIN. Listens on 127.0.0.1 only; every wait is bounded.
set -euo pipefail
: "${SLUICE_BIN:?}" "${LOADGEN_BIN:?}"
HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
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

# The Parquet stream comes from the server config (the load generator's --create sets buffering
# and compression only), converting to bench/run's table of the load generator's fields.
{ cat "$HERE/catalog.yaml"
  printf 'streams:\n  - %s\n' "$(jq -n -c '{DeliveryStreamName: "smoke-parquet",
    ExtendedS3DestinationConfiguration: {
      RoleARN: "arn:aws:iam::123456789012:role/bench", BucketARN: "arn:aws:s3:::smoke-parquet",
      BufferingHints: {SizeInMBs: 64, IntervalInSeconds: 0},
      DataFormatConversionConfiguration: {
        SchemaConfiguration: {RoleARN: "arn:aws:iam::123456789012:role/glue",
                              DatabaseName: "bench", TableName: "access_log"},
        InputFormatConfiguration: {Deserializer: {OpenXJsonSerDe: {}}},
        OutputFormatConfiguration: {Serializer: {ParquetSerDe: {Compression: "SNAPPY"}}}}}}')"
} >"$TMP/config.yaml"
# The log exists before the background redirection opens it, for the polling below.
: >"$TMP/server.log"
"$SLUICE_BIN" serve --listen 127.0.0.1:0 --data-dir "$TMP/data" --config "$TMP/config.yaml" \
  2>"$TMP/server.log" &
PID=$!
PORT=""
for ((i = 0; i < 100; i++)); do
  PORT="$(sed -n 's/.*listening on 127\.0\.0\.1:\([0-9]*\).*/\1/p' "$TMP/server.log" | head -n1)"
  [[ -n "$PORT" ]] && break
  sleep 0.1
done
[[ -n "$PORT" ]] || fail "server did not start"

# smoke STREAM COUNT_COMMAND [loadgen flags]: about 200 records of ~1 KiB in 50-record batches
# from 2 connections into STREAM, delivered at once; then the load generator's counts must add
# up, and COUNT_COMMAND (given the delivered objects as arguments) must print the same count.
smoke() {
  local stream="$1" count="$2"
  shift 2
  local out acked found objects bucket="$TMP/data/buckets/$stream"
  out="$("$LOADGEN_BIN" put --port "$PORT" --stream "$stream" --connections 2 --batch 50 \
    --total-mb 0.2 --watch-dir "$bucket" --watch-timeout 60 "$@")" || fail "$stream: loadgen: $out"
  echo "$out"
  acked="$(jq -r .acked_records <<<"$out")"
  ((acked >= 150)) || fail "$stream: expected about 200 acknowledged records, got $acked"
  [[ "$(jq -r .acked_bytes <<<"$out")" -gt 0 ]] || fail "$stream: no payload bytes counted"
  [[ "$(jq -r .delivered_records <<<"$out")" == "$acked" ]] || fail "$stream: watcher saw a different count"
  [[ "$(jq -r .delivered_unacknowledged <<<"$out")" == 0 ]] || fail "$stream: unacknowledged records delivered"
  [[ "$(jq -r .unreadable_objects <<<"$out")" == 0 ]] || fail "$stream: unreadable objects"
  [[ "$(jq -r .latency_ms.count <<<"$out")" == "$(jq -r .requests <<<"$out")" ]] ||
    fail "$stream: one latency sample per request expected"
  mapfile -d '' objects < <(find "$bucket" -type f ! -name '.*' -print0)
  ((${#objects[@]} > 0)) || fail "$stream: no delivered objects"
  found="$($count "${objects[@]}")"
  [[ "$found" == "$acked" ]] || fail "$stream: acknowledged $acked records, found $found in delivered objects"
  echo "ok: $stream: $acked records acknowledged and delivered"
}

# Independent counts: every JSON record starts with {"rqid":"; Parquet rows are counted by DuckDB.
count_tags() { "$@" | grep -o '{"rqid":"' | wc -l; }
smoke smoke-plain "count_tags cat" --create --interval 0
smoke smoke-gzip "count_tags zcat" --create --interval 0 --compression GZIP
smoke smoke-zstd "count_tags zstdcat -q" --create --interval 0 --compression ZSTD
smoke smoke-parquet "node $HERE/count_parquet_rows.mjs"

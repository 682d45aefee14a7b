#!/usr/bin/env bash
# Smoke test of the benchmark harness: tiny loads from sluice-loadgen into a real server, then
# the counts must add up: every acknowledged record is found exactly once in the delivered
# objects, counted both by the load generator's watcher and independently here, for plain, GZIP
# and ZSTD objects and for Parquet (rows counted by the watcher from the footer, and by DuckDB);
# the per-segment report (--report-every-mb) must add up to the run and bench/flatness.jq must
# summarise it. No timing. Environment: SLUICE_BIN, LOADGEN_BIN. Listens on 127.0.0.1 only; every wait is bounded.
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
  if jq -e 'has("segments")' <<<"$out" >/dev/null; then check_segments "$stream" "$out"; fi
}

# check_segments STREAM REPORT: the segments of --report-every-mb hold every request and every
# acknowledged byte exactly once, only the last may be partial, and bench/flatness.jq gives one
# row per full segment, placing server samples on the right segment: RSS at its end, CPU split
# into server, load generator and the rest of the machine (100 busy ticks: 50 + 25 + 25).
check_segments() {
  local stream="$1" out="$2" summary
  jq -e '(.segments | length) >= 2' <<<"$out" >/dev/null || fail "$stream: expected several segments"
  jq -e '([.segments[].acked_bytes] | add) == .acked_bytes' <<<"$out" >/dev/null ||
    fail "$stream: segments' acknowledged bytes do not add up to the run's"
  jq -e '([.segments[].requests] | add) == .requests and
         ([.segments[].latency_ms.count] | add) == .requests' <<<"$out" >/dev/null ||
    fail "$stream: segments' requests do not add up to the run's"
  jq -e '[.segments[:-1][].full] | all' <<<"$out" >/dev/null || fail "$stream: a partial segment before the last"
  summary="$(jq -c --argjson samples "$(jq -c '[[.start_unix_s - 1, 1024, 0, 0, 0],
      [.start_unix_s + .segments[0].end_s, 2048, 50, 25, 100]]' <<<"$out")" \
    --argjson hz 100 -f "$HERE/flatness.jq" <<<"$out")" || fail "$stream: flatness.jq failed"
  jq -e --argjson full "$(jq '[.segments[] | select(.full)] | length' <<<"$out")" \
    '(.segments | length) == $full and .segments[0].rss_mib_at_end == 2 and
     .segments[0].cpu_pct.server == 2 * .segments[0].cpu_pct.loadgen and
     .segments[0].cpu_pct.others == .segments[0].cpu_pct.loadgen and (.flat | type) == "boolean" and
     (.trend_pct | type) == "number" and (.spread_pct | type) == "number"' <<<"$summary" >/dev/null || fail "$stream: flatness summary $summary"
  echo "ok: $stream: $(jq '.segments | length' <<<"$out") segments add up"
}

# flatness.jq's figures on a report of known segments (100, 130, 110, 120 MB/s): every later one
# against the first, the least-squares trend (slope 4: fitted 109 at the first, 121 at the
# last), and the largest deviation from the median (115).
known="$(jq -c -n --argjson hz 100 --argjson samples '[]' '{start_unix_s: 0, segment_mb: 1000,
    segments: [[100, 130, 110, 120] | to_entries[] | {index: .key, mb_per_s: .value, full: true,
      acked_bytes: 1000000000, requests: 1, latency_ms: {}, start_s: .key, end_s: (.key + 1)}]}' |
  jq -c --argjson hz 100 --argjson samples '[]' -f "$HERE/flatness.jq")" || fail "flatness.jq failed on known segments"
jq -e '(.max_deviation_pct - 30 | fabs) < 1e-9 and (.trend_pct - 100 * 12 / 109 | fabs) < 1e-9 and
       (.spread_pct - 100 * 15 / 115 | fabs) < 1e-9 and .flat == false' <<<"$known" >/dev/null ||
  fail "flatness.jq on segments 100, 130, 110, 120 MB/s: $known"
echo "ok: flatness figures of known segments"

# Independent counts: every JSON record starts with {"rqid":"; Parquet rows are counted by DuckDB.
count_tags() { "$@" | grep -o '{"rqid":"' | wc -l; }
smoke smoke-plain "count_tags cat" --create --interval 0 --report-every-mb 0.08
smoke smoke-gzip "count_tags zcat" --create --interval 0 --compression GZIP
smoke smoke-zstd "count_tags zstdcat -q" --create --interval 0 --compression ZSTD
smoke smoke-parquet "node $HERE/count_parquet_rows.mjs"

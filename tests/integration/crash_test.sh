#!/usr/bin/env bash
# Durability under a crash: concurrent PutRecordBatch load, kill -9 of the server in the middle
# of it, restart on the same data dir; every acknowledged record must then be delivered. One
# stream partitions dynamically (by load worker, through a Command transform), so the crash also
# hits records in its partitions' buffers and sealed partition objects.
# Duplicates and records delivered without an acknowledgement are allowed and counted.
# shellcheck source=tests/integration/lib.sh
source "$(dirname "$0")/lib.sh"

readonly LOAD_SECONDS="${CRASH_LOAD_SECONDS:-20}"
readonly KILL_AFTER_ACKS="${CRASH_KILL_AFTER_ACKS:-20000}"
readonly ACKED="$TEST_TMP/acked.txt"
readonly STREAMS=crash-raw,crash-gz,crash-parts
: >"$ACKED"

create_stream() {  # NAME EXTRA-DESTINATION-MEMBERS
  fh_raw CreateDeliveryStream "{\"DeliveryStreamName\":\"$1\",\"ExtendedS3DestinationConfiguration\":{\"RoleARN\":\"arn:aws:iam::123456789012:role/firehose\",\"BucketARN\":\"arn:aws:s3:::$1\",$2}}"
  expect_ok "create $1"
}

acked_count() { wc -l <"$ACKED"; }

verify() {  # prints the counts; returns crash_verify.mjs's exit code
  "$NODE" "$INTEGRATION_DIR/crash_verify.mjs" --acked "$ACKED" \
    --bucket-dirs "$(bucket_dir crash-raw),$(bucket_dir crash-gz),$(bucket_dir crash-parts)"
}

server_start "$TEST_TMP/data"
create_stream crash-raw '"BufferingHints":{"SizeInMBs":1,"IntervalInSeconds":0}'
create_stream crash-gz '"BufferingHints":{"SizeInMBs":1,"IntervalInSeconds":1},"CompressionFormat":"GZIP"'
create_stream crash-parts '"BufferingHints":{"SizeInMBs":1,"IntervalInSeconds":1},"Prefix":"w=!{partitionKeyFromLambda:w}/","ErrorOutputPrefix":"err/!{firehose:error-output-type}/","DynamicPartitioningConfiguration":{"Enabled":true},"ProcessingConfiguration":{"Enabled":true,"Processors":[{"Type":"Command","Parameters":[{"ParameterName":"Command","ParameterValue":"'"$NODE $INTEGRATION_DIR/partition_by_worker.mjs"'"}]}]}'

# Two rounds: the second crash also hits a server busy recovering and delivering the backlog
# of the first.
for round in 1 2; do
  log "round $round: load of 4 workers, batches of 100 records, at most ${LOAD_SECONDS}s"
  "$NODE" "$INTEGRATION_DIR/crash_load.mjs" --port "$SERVER_PORT" --streams "$STREAMS" \
    --acked "$ACKED" --tag "round$round" --workers 4 --batch 100 --seconds "$LOAD_SECONDS" \
    >"$TEST_TMP/load.json" 2>"$TEST_TMP/load.err" &
  load_pid=$!

  # Kill once enough records are acknowledged (or half the load time has passed), while the
  # load is still running.
  target=$(($(acked_count) + KILL_AFTER_ACKS))
  ticks=$((LOAD_SECONDS * 5))
  while ((ticks-- > 0)) && _alive "$load_pid" && (($(acked_count) < target)); do
    sleep 0.1
  done
  _alive "$load_pid" ||
    fail "the load ended before the crash: $(cat "$TEST_TMP/load.err" "$TEST_TMP/load.json")"
  server_kill9
  log "round $round: killed with $(acked_count) records acknowledged so far"

  _reap "$load_pid" "$WAIT_SECONDS"
  ((REAP_RC == 0)) || fail "load exited with $REAP_RC: $(cat "$TEST_TMP/load.err")"
  log "round $round: load summary: $(cat "$TEST_TMP/load.json")"
  (($(jq .acked "$TEST_TMP/load.json") > 0)) || fail "round $round: nothing was acknowledged"

  log "round $round: restart on the same data dir"
  server_start "$TEST_TMP/data"
done

log "the restarted server takes new records (API-created streams survived)"
"$NODE" "$INTEGRATION_DIR/crash_load.mjs" --port "$SERVER_PORT" --streams "$STREAMS" \
  --acked "$ACKED" --tag after --workers 2 --batch 50 --batches 5 --strict \
  >"$TEST_TMP/after.json" 2>"$TEST_TMP/after.err" ||
  fail "puts after restart failed: $(cat "$TEST_TMP/after.err")"

log "waiting for every one of $(acked_count) acknowledged records to be delivered"
ticks=$((WAIT_SECONDS * 2))
until result="$(verify)"; do
  rc=$?
  ((rc == 1)) || fail "delivered data is corrupt: $result"
  ((ticks-- > 0)) || fail "acknowledged records not delivered ${WAIT_SECONDS}s after restart: $result"
  sleep 0.5
done
log "delivered: $result"

server_stop
log "crash_test: all checks passed"

#!/usr/bin/env bash
# Delivery to an S3-compatible store: s3rver (npm) on 127.0.0.1 as the peer.
#  1. the S3 client's live checks (s3_live_test: put, multipart, missing bucket, server down);
#  2. a bucket mapped to s3rver in the server config receives the stream's objects, read back
#     with the AWS CLI (`aws s3`), byte for byte;
#  3. an outage: s3rver stopped while records keep being put and acknowledged, then started
#     again: every acknowledged record arrives;
#  4. a missing bucket: the records end in the error output, in the backup bucket, in
#     Firehose's failed-record format, and the stream's log is reclaimed; S3BackupMode Enabled
#     stores a copy of the source records;
#  5. a 100 MB batch goes through multipart upload and reads back byte-identical.
# shellcheck source=tests/integration/lib.sh
source "$(dirname "$0")/lib.sh"

: "${S3_LIVE_TEST:?S3_LIVE_TEST must name the s3_live_test binary}"
readonly S3_PORT="$(pick_free_port)"
readonly S3_DIR="$TEST_TMP/s3rver-data"
readonly S3_ENDPOINT="http://127.0.0.1:$S3_PORT"
readonly BUCKET=s3-dest
S3RVER_PID=""
mkdir -p "$S3_DIR"

s3rver_start() {
  "$NODE" "$INTEGRATION_DIR/node_modules/s3rver/bin/s3rver.js" -d "$S3_DIR" -a 127.0.0.1 \
    -p "$S3_PORT" --no-vhost-buckets --silent --configure-bucket "$BUCKET" \
    --configure-bucket sluice-live --configure-bucket s3-backup >>"$TEST_TMP/s3rver.log" 2>&1 &
  S3RVER_PID=$!
  local ticks=$((WAIT_SECONDS * 10))
  until curl -s -o /dev/null --max-time 1 "$S3_ENDPOINT/"; do
    _alive "$S3RVER_PID" || fail "s3rver exited: $(cat "$TEST_TMP/s3rver.log")"
    ((ticks-- > 0)) || fail "s3rver did not answer on $S3_ENDPOINT"
    sleep 0.1
  done
  log "s3rver pid $S3RVER_PID on $S3_ENDPOINT"
}

s3rver_stop() {
  [[ -n "$S3RVER_PID" ]] || return 0
  kill -TERM "$S3RVER_PID" 2>/dev/null || true
  _reap "$S3RVER_PID" 10
  S3RVER_PID=""
}
trap 'rc=$?; s3rver_stop; _on_exit "$rc"' EXIT

aws_s3() {
  AWS_ACCESS_KEY_ID=S3RVER AWS_SECRET_ACCESS_KEY=S3RVER timeout 60 \
    "$AWS_CLI" --endpoint-url "$S3_ENDPOINT" s3 "$@"
}

# The stream's records, one per line, from every object in the bucket (gunzipped), sorted.
s3_records() {
  local key
  aws_s3 ls "s3://$BUCKET/" --recursive | awk '{print $4}' | while read -r key; do
    [[ -n "$key" ]] || continue
    aws_s3 cp "s3://$BUCKET/$key" - | gzip -dc
  done | LC_ALL=C sort
}

# put_batch N FIRST: one PutRecordBatch of records "rec-FIRST" .. "rec-(FIRST+N-1)", each + \n.
put_batch() {
  local n=$1 first=$2 i records=""
  for ((i = first; i < first + n; i++)); do
    records+="${records:+,}{\"Data\":\"$(printf 'rec-%06d\n' "$i" | base64 -w0)\"}"
  done
  fh_raw PutRecordBatch "{\"DeliveryStreamName\":\"to-s3\",\"Records\":[$records]}"
  expect_ok "PutRecordBatch of $n records from $first"
  assert_eq 0 "$(jq .FailedPutCount <<<"$HTTP_BODY")" "FailedPutCount"
}

wait_for_records() {  # EXPECTED_FILE
  local ticks=$((WAIT_SECONDS * 2))
  until s3_records >"$TEST_TMP/got" 2>/dev/null && cmp -s "$1" "$TEST_TMP/got"; do
    ((ticks-- > 0)) || fail "bucket $BUCKET on s3rver: expected $(wc -l <"$1") records, got $(wc -l <"$TEST_TMP/got")"
    sleep 0.5
  done
}

s3rver_start

log "1. S3 client live checks against s3rver"
SLUICE_S3_ENDPOINT="$S3_ENDPOINT" SLUICE_S3_BUCKET=sluice-live SLUICE_S3_DATA_DIR="$S3_DIR" \
  "$S3_LIVE_TEST" || fail "s3_live_test failed"

log "2. a bucket mapped to s3rver receives the stream's objects"
{
  echo "buckets:"
  for name in "$BUCKET" s3-backup no-such-bucket; do
    cat <<YAML
  $name:
    s3:
      endpoint: $S3_ENDPOINT
      region: us-east-1
      path_style: true
      access_key_id: S3RVER
      secret_access_key: S3RVER
YAML
  done
} >"$TEST_TMP/config.yaml"
server_start "$TEST_TMP/data" --config "$TEST_TMP/config.yaml"
fh_raw CreateDeliveryStream '{"DeliveryStreamName":"to-s3","ExtendedS3DestinationConfiguration":{"RoleARN":"arn:aws:iam::123456789012:role/firehose","BucketARN":"arn:aws:s3:::'"$BUCKET"'","Prefix":"in/","BufferingHints":{"SizeInMBs":1,"IntervalInSeconds":0},"CompressionFormat":"GZIP"}}'
expect_ok "create to-s3"
put_batch 50 0
for ((i = 0; i < 50; i++)); do printf 'rec-%06d\n' "$i"; done >"$TEST_TMP/expected"
wait_for_records "$TEST_TMP/expected"
keys="$(aws_s3 ls "s3://$BUCKET/" --recursive | awk '{print $4}')"
assert_match "$keys" '^in/[0-9]{4}/[0-9]{2}/[0-9]{2}/[0-9]{2}/to-s3-1-[0-9-]{19}-[0-9a-f-]{36}\.gz' "object key on S3"
[[ ! -e "$(bucket_dir "$BUCKET")" ]] || fail "a mapped bucket must not be written to the local store"
log "ok: 50 records delivered to s3rver and read back with aws s3 cp"

log "3. outage: s3rver down while puts continue, then back"
s3rver_stop
put_batch 100 50
put_batch 100 150
sleep 2  # delivery attempts fail meanwhile and are retried
s3rver_start
for ((i = 0; i < 250; i++)); do printf 'rec-%06d\n' "$i"; done >"$TEST_TMP/expected"
wait_for_records "$TEST_TMP/expected"
log "ok: every record acknowledged during the outage arrived once s3rver was back"
grep -q "failed (attempt" "$SERVER_LOG" || fail "the server log shows no failed delivery attempt during the outage"

log "4. missing bucket: error output in the backup bucket; S3BackupMode Enabled copies"
backup_config='"S3BackupConfiguration":{"RoleARN":"arn:aws:iam::123456789012:role/firehose","BucketARN":"arn:aws:s3:::s3-backup","Prefix":"copy/","BufferingHints":{"SizeInMBs":1,"IntervalInSeconds":0}}'
fh_raw CreateDeliveryStream '{"DeliveryStreamName":"lost","ExtendedS3DestinationConfiguration":{"RoleARN":"arn:aws:iam::123456789012:role/firehose","BucketARN":"arn:aws:s3:::no-such-bucket","Prefix":"data/","ErrorOutputPrefix":"failed/!{firehose:error-output-type}/","BufferingHints":{"SizeInMBs":1,"IntervalInSeconds":0},'"$backup_config"'}}'
expect_ok "create lost"
fh_raw CreateDeliveryStream '{"DeliveryStreamName":"copied","ExtendedS3DestinationConfiguration":{"RoleARN":"arn:aws:iam::123456789012:role/firehose","BucketARN":"arn:aws:s3:::'"$BUCKET"'","Prefix":"copied/","BufferingHints":{"SizeInMBs":1,"IntervalInSeconds":0},"CompressionFormat":"GZIP","S3BackupMode":"Enabled",'"$backup_config"'}}'
expect_ok "create copied"
records=""  # 100 records of 1000 bytes, so that a log left behind would show
for ((i = 0; i < 100; i++)); do
  printf 'lost-%03d-%0991d\n' "$i" 0 | head -c 1000 >>"$TEST_TMP/lost-expected"
  printf '\n' >>"$TEST_TMP/lost-expected"
  records+="${records:+,}{\"Data\":\"$(printf 'lost-%03d-%0991d' "$i" 0 | head -c 1000 | base64 -w0)\"}"
done
printf '{"DeliveryStreamName":"lost","Records":[%s]}' "$records" >"$TEST_TMP/lost.json"
fh_raw PutRecordBatch "@$TEST_TMP/lost.json"
expect_ok "put to lost"
fh_raw PutRecordBatch '{"DeliveryStreamName":"copied","Records":[{"Data":"'"$(printf 'copy-me\n' | base64 -w0)"'"}]}'
expect_ok "put to copied"
ticks=$((WAIT_SECONDS * 2))
until aws_s3 ls s3://s3-backup/failed/s3-failed/ --recursive 2>/dev/null | grep -q /lost-1- &&
  aws_s3 ls s3://s3-backup/copy/ --recursive 2>/dev/null | grep -q copied-1-; do
  ((ticks-- > 0)) || fail "no error output or backup copy in s3-backup: $(aws_s3 ls s3://s3-backup/ --recursive)"
  sleep 0.5
done
error_key="$(aws_s3 ls s3://s3-backup/failed/s3-failed/ --recursive | awk '{print $4}')"
aws_s3 cp "s3://s3-backup/$error_key" "$TEST_TMP/errors.jsonl" >/dev/null
assert_eq 100 "$(wc -l <"$TEST_TMP/errors.jsonl")" "failed-record documents, one per record"
jq -r .rawData "$TEST_TMP/errors.jsonl" | while read -r b; do base64 -d <<<"$b"; echo; done \
  >"$TEST_TMP/lost-got"
cmp -s "$TEST_TMP/lost-expected" "$TEST_TMP/lost-got" || fail "rawData differs from the records put"
assert_eq "S3.PermanentFailure" "$(jq -r .errorCode "$TEST_TMP/errors.jsonl" | sort -u)" "errorCode"
assert_contains "$(jq -r .errorMessage "$TEST_TMP/errors.jsonl" | head -1)" "NoSuchBucket" "errorMessage"
jq -e 'has("attemptsMade") and has("arrivalTimestamp") and has("attemptEndingTimestamp")' \
  "$TEST_TMP/errors.jsonl" >/dev/null || fail "a failed-record document lacks Firehose's fields"
wal_bytes="$(find "$SERVER_DATA_DIR/streams/lost/wal" -name '*.seg' -printf '%s\n' | awk '{s += $1} END {print s + 0}')"
((wal_bytes < 10000)) || fail "the log of stream lost still holds $wal_bytes bytes (of 100 kB put) after the error output"
copy_key="$(aws_s3 ls s3://s3-backup/copy/ --recursive | awk '{print $4}')"
assert_eq "copy-me" "$(aws_s3 cp "s3://s3-backup/$copy_key" -)" "backup copy of the source record"
log "ok: error output and backup copy in s3-backup; the failed stream's log was reclaimed"

log "5. a 100 MB batch: multipart upload, read back byte-identical"
fh_raw CreateDeliveryStream '{"DeliveryStreamName":"big","ExtendedS3DestinationConfiguration":{"RoleARN":"arn:aws:iam::123456789012:role/firehose","BucketARN":"arn:aws:s3:::'"$BUCKET"'","Prefix":"big/","BufferingHints":{"SizeInMBs":128,"IntervalInSeconds":900}}}'
expect_ok "create big"
# 25 PutRecordBatch bodies of 4 records of 1,000,000 bytes; the record bytes go to big-expected.
/usr/bin/python3 - "$TEST_TMP" <<'PY'
import base64, json, random, sys
rng = random.Random(20261130)
with open(f"{sys.argv[1]}/big-expected", "wb") as expected:
    for call in range(25):
        records = []
        for _ in range(4):
            data = bytes(rng.getrandbits(8) for _ in range(64)) * 15625
            expected.write(data)
            records.append({"Data": base64.b64encode(data).decode()})
        with open(f"{sys.argv[1]}/big-{call}.json", "w") as body:
            json.dump({"DeliveryStreamName": "big", "Records": records}, body)
PY
for ((call = 0; call < 25; call++)); do
  fh_raw PutRecordBatch "@$TEST_TMP/big-$call.json"
  expect_ok "PutRecordBatch $call of the 100 MB batch"
done
# Deleting a stream delivers everything it buffered: one object of 100 MB (under 128 MiB).
fh_raw DeleteDeliveryStream '{"DeliveryStreamName":"big"}'
expect_ok "delete big (drains the batch)"
big_keys="$(aws_s3 ls "s3://$BUCKET/big/" --recursive | awk '{print $4}')"
assert_eq 1 "$(grep -c . <<<"$big_keys")" "objects of stream big"
aws_s3 cp "s3://$BUCKET/$big_keys" "$TEST_TMP/big-got" >/dev/null
cmp "$TEST_TMP/big-expected" "$TEST_TMP/big-got" || fail "the 100 MB object differs from the records put"
log "ok: 100,000,000 bytes in one multipart object, byte-identical"

server_stop
log "s3_test: all checks passed"

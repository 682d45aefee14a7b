#!/usr/bin/env bash
# The Firehose API through the real AWS CLI (and curl for raw wire cases): stream lifecycle,
# describe defaults, listing and paging, puts and byte-exact delivery, GZIP, tags, versioned
# updates, every error class, SIGTERM drain and restart persistence.
# shellcheck source=tests/integration/lib.sh
source "$(dirname "$0")/lib.sh"

readonly ROLE=arn:aws:iam::123456789012:role/firehose
readonly DEST_ID=destinationId-000000000001
readonly UUID_RE='[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}'
readonly HOUR_PREFIX_RE='[0-9]{4}/[0-9]{2}/[0-9]{2}/[0-9]{2}/'
readonly STAMP_RE='[0-9]{4}-[0-9]{2}-[0-9]{2}-[0-9]{2}-[0-9]{2}-[0-9]{2}'

# ext_config BUCKET [extra JSON members]: an ExtendedS3DestinationConfiguration.
ext_config() {
  printf '{"RoleARN":"%s","BucketARN":"arn:aws:s3:::%s"%s}' "$ROLE" "$1" "${2:+,$2}"
}
readonly FAST='"BufferingHints":{"SizeInMBs":1,"IntervalInSeconds":0}'

stream_names() {
  aws_fh list-delivery-streams --limit 10000 | jq -r '.DeliveryStreamNames | join(" ")'
}

# snapshot BUCKET: remembers the bucket's current keys, for wait_delivered.
snapshot() { list_objects "$1" >"$TEST_TMP/snapshot-$1"; }

server_start "$TEST_TMP/data"

# ---------------------------------------------------------------------------------------------
log "create: ExtendedS3 with defaults, ExtendedS3 with zero buffering, plain S3, GZIP"
out="$(aws_fh create-delivery-stream --delivery-stream-name s-defaults \
  --delivery-stream-type DirectPut \
  --extended-s3-destination-configuration "$(ext_config bkt-defaults)")"
assert_match "$(jq -r .DeliveryStreamARN <<<"$out")" \
  '^arn:aws:firehose:us-east-1:[0-9]{12}:deliverystream/s-defaults$' "create ARN"
aws_fh create-delivery-stream --delivery-stream-name s-ext \
  --extended-s3-destination-configuration "$(ext_config bkt-ext "$FAST")" >/dev/null
aws_fh create-delivery-stream --delivery-stream-name s-plain \
  --s3-destination-configuration "$(ext_config bkt-plain '"Prefix":"plain/"')" >/dev/null
aws_fh create-delivery-stream --delivery-stream-name s-gz \
  --extended-s3-destination-configuration \
  "$(ext_config bkt-gz "$FAST,\"CompressionFormat\":\"GZIP\",\"Prefix\":\"gz/\"")" \
  --tags Key=team,Value=data >/dev/null
aws_fh create-delivery-stream --delivery-stream-name s-err \
  --extended-s3-destination-configuration "$(ext_config bkt-err "$FAST")" >/dev/null

# ---------------------------------------------------------------------------------------------
log "describe: defaults materialised in both destination descriptions"
desc="$(aws_fh describe-delivery-stream --delivery-stream-name s-defaults)"
d='.DeliveryStreamDescription'
jq_eq "$desc" "$d.DeliveryStreamName" s-defaults "describe name"
jq_eq "$desc" "$d.DeliveryStreamStatus" ACTIVE "describe status"
jq_eq "$desc" "$d.DeliveryStreamType" DirectPut "describe type"
jq_eq "$desc" "$d.VersionId" 1 "describe VersionId"
jq_eq "$desc" "$d.VersionId | type" string "VersionId is a string"
fh_raw DescribeDeliveryStream '{"DeliveryStreamName":"s-defaults"}'
jq_eq "$HTTP_BODY" "$d.CreateTimestamp | type" number "CreateTimestamp on the wire (epoch seconds)"
jq_eq "$desc" "$d.HasMoreDestinations" false "HasMoreDestinations"
jq_eq "$desc" "$d.Destinations | length" 1 "one destination"
jq_eq "$desc" "$d.Destinations[0].DestinationId" "$DEST_ID" "DestinationId"
for member in ExtendedS3DestinationDescription S3DestinationDescription; do
  x="$d.Destinations[0].$member"
  jq_eq "$desc" "$x.RoleARN" "$ROLE" "$member.RoleARN"
  jq_eq "$desc" "$x.BucketARN" arn:aws:s3:::bkt-defaults "$member.BucketARN"
  jq_eq "$desc" "$x.BufferingHints.SizeInMBs" 5 "$member default SizeInMBs"
  jq_eq "$desc" "$x.BufferingHints.IntervalInSeconds" 300 "$member default IntervalInSeconds"
  jq_eq "$desc" "$x.CompressionFormat" UNCOMPRESSED "$member default CompressionFormat"
  jq_eq "$desc" "$x.EncryptionConfiguration.NoEncryptionConfig" NoEncryption \
    "$member default EncryptionConfiguration"
done

desc="$(aws_fh describe-delivery-stream --delivery-stream-name s-plain)"
x="$d.Destinations[0].S3DestinationDescription"
jq_eq "$desc" "$x.BucketARN" arn:aws:s3:::bkt-plain "plain S3 BucketARN"
jq_eq "$desc" "$x.Prefix" plain/ "plain S3 Prefix"
jq_eq "$desc" "$x.BufferingHints.IntervalInSeconds" 300 "plain S3 default interval"
jq_eq "$desc" "$x.CompressionFormat" UNCOMPRESSED "plain S3 default compression"

desc="$(aws_fh describe-delivery-stream --delivery-stream-name s-gz)"
x="$d.Destinations[0].ExtendedS3DestinationDescription"
jq_eq "$desc" "$x.CompressionFormat" GZIP "GZIP stream CompressionFormat"
jq_eq "$desc" "$x.BufferingHints.IntervalInSeconds" 0 "zero IntervalInSeconds kept"
jq_eq "$desc" "$x.Prefix" gz/ "GZIP stream Prefix"

# ---------------------------------------------------------------------------------------------
log "list: sorted, Limit and ExclusiveStartDeliveryStreamName paging"
all="s-defaults s-err s-ext s-gz s-plain"
assert_eq "$all" "$(stream_names)" "all stream names, sorted"
paged=() start=()
for _ in 1 2 3 4 5 6; do
  page="$(aws_fh list-delivery-streams --limit 2 "${start[@]}")"
  mapfile -t names < <(jq -r '.DeliveryStreamNames[]' <<<"$page")
  paged+=("${names[@]}")
  [[ "$(jq -r .HasMoreDeliveryStreams <<<"$page")" == true ]] || break
  assert_eq 2 "${#names[@]}" "page size with more pages to come"
  start=(--exclusive-start-delivery-stream-name "${names[-1]}")
done
assert_eq "$all" "${paged[*]}" "names collected over pages of 2"
page="$(aws_fh list-delivery-streams --exclusive-start-delivery-stream-name s-err)"
jq_eq "$page" '.DeliveryStreamNames | join(" ")' "s-ext s-gz s-plain" "names after s-err"
jq_eq "$page" .HasMoreDeliveryStreams false "no more after the last page"

# ---------------------------------------------------------------------------------------------
log "put-record (raw text) and default key layout"
snapshot bkt-ext
printf 'hello firehose\n' >"$TEST_TMP/want"
out="$(aws_fh put-record --delivery-stream-name s-ext --cli-binary-format raw-in-base64-out \
  --record '{"Data":"hello firehose\n"}')"
[[ -n "$(jq -r '.RecordId // empty' <<<"$out")" ]] || fail "put-record: no RecordId in $out"
wait_delivered bkt-ext "$TEST_TMP/snapshot-bkt-ext" "$TEST_TMP/want"
for key in "${DELIVERED_KEYS[@]}"; do
  assert_match "$key" "^${HOUR_PREFIX_RE}s-ext-1-${STAMP_RE}-${UUID_RE}\$" "object key, no prefix"
done

log "put-record with base64 input (CLI default): binary bytes"
snapshot bkt-ext
printf '\x00\x01\xfe\xff\r\n' >"$TEST_TMP/want"
aws_fh put-record --delivery-stream-name s-ext \
  --record "{\"Data\":\"$(base64 -w0 "$TEST_TMP/want")\"}" >/dev/null
wait_delivered bkt-ext "$TEST_TMP/snapshot-bkt-ext" "$TEST_TMP/want"

log "put-record-batch: per-entry RecordIds, bytes in order, no delimiter added"
snapshot bkt-ext
printf 'rec-1|rec-2\nrec-3 \xc3\xa9\n' >"$TEST_TMP/want"
out="$(aws_fh put-record-batch --delivery-stream-name s-ext --cli-binary-format raw-in-base64-out \
  --records '[{"Data":"rec-1|"},{"Data":"rec-2\n"},{"Data":"rec-3 é\n"}]')"
jq_eq "$out" .FailedPutCount 0 "batch FailedPutCount"
jq_eq "$out" '.RequestResponses | length' 3 "batch response entries"
jq_eq "$out" '[.RequestResponses[] | select((.RecordId // "") != "")] | length' 3 \
  "batch entries with a RecordId"
wait_delivered bkt-ext "$TEST_TMP/snapshot-bkt-ext" "$TEST_TMP/want"

log "GZIP: .gz object under the prefix, gunzips to the exact bytes"
snapshot bkt-gz
printf 'zipped one\nzipped two\n' >"$TEST_TMP/want"
aws_fh put-record-batch --delivery-stream-name s-gz --cli-binary-format raw-in-base64-out \
  --records '[{"Data":"zipped one\n"},{"Data":"zipped two\n"}]' >/dev/null
wait_delivered bkt-gz "$TEST_TMP/snapshot-bkt-gz" "$TEST_TMP/want"
for key in "${DELIVERED_KEYS[@]}"; do
  assert_match "$key" "^gz/${HOUR_PREFIX_RE}s-gz-1-${STAMP_RE}-${UUID_RE}\\.gz\$" "GZIP object key"
done

# ---------------------------------------------------------------------------------------------
log "tags: create-time tag, tag (overwrite + add), untag, list"
tags_of() {
  aws_fh list-tags-for-delivery-stream --delivery-stream-name "$1" |
    jq -c '[.Tags | sort_by(.Key)[] | "\(.Key)=\(.Value)"], .HasMoreTags'
}
assert_eq '["team=data"]
false' "$(tags_of s-gz)" "tags given at create"
aws_fh tag-delivery-stream --delivery-stream-name s-gz \
  --tags Key=team,Value=ingest Key=env,Value=test >/dev/null
assert_eq '["env=test","team=ingest"]
false' "$(tags_of s-gz)" "tags after tag"
aws_fh untag-delivery-stream --delivery-stream-name s-gz --tag-keys env no-such-key >/dev/null
assert_eq '["team=ingest"]
false' "$(tags_of s-gz)" "tags after untag"

# ---------------------------------------------------------------------------------------------
log "update-destination: merge, VersionId 2, new prefix/compression and version in keys"
aws_fh update-destination --delivery-stream-name s-ext --current-delivery-stream-version-id 1 \
  --destination-id "$DEST_ID" --extended-s3-destination-update \
  '{"Prefix":"v2/","CompressionFormat":"GZIP","BufferingHints":{"SizeInMBs":2,"IntervalInSeconds":0}}' \
  >/dev/null
desc="$(aws_fh describe-delivery-stream --delivery-stream-name s-ext)"
x="$d.Destinations[0].ExtendedS3DestinationDescription"
jq_eq "$desc" "$d.VersionId" 2 "VersionId after update"
jq_eq "$desc" "$x.Prefix" v2/ "Prefix after update"
jq_eq "$desc" "$x.CompressionFormat" GZIP "CompressionFormat after update"
jq_eq "$desc" "$x.BufferingHints.SizeInMBs" 2 "SizeInMBs after update"
jq_eq "$desc" "$x.BucketARN" arn:aws:s3:::bkt-ext "BucketARN kept by the merge"
jq_eq "$desc" "$x.RoleARN" "$ROLE" "RoleARN kept by the merge"

snapshot bkt-ext
printf 'after update\n' >"$TEST_TMP/want"
aws_fh put-record --delivery-stream-name s-ext --cli-binary-format raw-in-base64-out \
  --record '{"Data":"after update\n"}' >/dev/null
wait_delivered bkt-ext "$TEST_TMP/snapshot-bkt-ext" "$TEST_TMP/want"
for key in "${DELIVERED_KEYS[@]}"; do
  assert_match "$key" "^v2/${HOUR_PREFIX_RE}s-ext-2-${STAMP_RE}-${UUID_RE}\\.gz\$" \
    "object key after update"
done

log "update-destination with a stale version: ConcurrentModificationException, no change"
aws_fh_error ConcurrentModificationException update-destination --delivery-stream-name s-ext \
  --current-delivery-stream-version-id 1 --destination-id "$DEST_ID" \
  --extended-s3-destination-update '{"Prefix":"stale/"}' >/dev/null
fh_raw UpdateDestination "{\"DeliveryStreamName\":\"s-ext\",\"CurrentDeliveryStreamVersionId\":\"1\",\"DestinationId\":\"$DEST_ID\",\"ExtendedS3DestinationUpdate\":{\"Prefix\":\"stale/\"}}"
expect_error 400 ConcurrentModificationException "" "stale CurrentDeliveryStreamVersionId"
desc="$(aws_fh describe-delivery-stream --delivery-stream-name s-ext)"
jq_eq "$desc" "$d.VersionId" 2 "VersionId after rejected updates"
jq_eq "$desc" "$x.Prefix" v2/ "Prefix after rejected updates"

# ---------------------------------------------------------------------------------------------
log "errors: each rejected with its type, status and a message naming the field"
snapshot bkt-err
big="$TEST_TMP/big.json"
record_of_size() {  # BYTES: a PutRecord body for s-err holding BYTES bytes of 'x'
  printf '{"DeliveryStreamName":"s-err","Record":{"Data":"%s"}}' \
    "$(head -c "$1" /dev/zero | tr '\0' x | base64 -w0)"
}
batch_of() {  # COUNT BYTES_EACH: a PutRecordBatch body for s-err
  local data
  data="$(head -c "$2" /dev/zero | tr '\0' y | base64 -w0)"
  printf '{"DeliveryStreamName":"s-err","Records":['
  for ((i = 0; i < $1; i++)); do
    ((i == 0)) || printf ','
    printf '{"Data":"%s"}' "$data"
  done
  printf ']}'
}
create_body() {  # NAME BUCKET [extra destination members]
  printf '{"DeliveryStreamName":"%s","DeliveryStreamType":"DirectPut","ExtendedS3DestinationConfiguration":%s}' \
    "$1" "$(ext_config "$2" "${3:-}")"
}
# Model-constraint violations may come as either type (AWS answers ValidationException for
# some of them although the model declares InvalidArgumentException).
readonly NOT_FOUND=ResourceNotFoundException INVALID='InvalidArgumentException|ValidationException'
readonly SERIAL="SerializationException|$INVALID"

fh_raw CreateDeliveryStream '{"DeliveryStreamName": "bad-json", "ExtendedS3DestinationConfiguration": {'
expect_error 400 "$SERIAL" "" "malformed JSON"
fh_raw PutRecord '["not", "an", "object"]'
expect_error 400 "$SERIAL" "" "JSON array instead of an object"
fh_raw CreateDeliveryStream "$(create_body wrong-type bkt-x '"BufferingHints":{"SizeInMBs":"5","IntervalInSeconds":0}')"
expect_error 400 "$SERIAL" SizeInMBs "string where a number is required"
fh_raw PutRecord '{"DeliveryStreamName":"s-err","Record":{"Data":12}}'
expect_error 400 "$SERIAL" Data "number where base64 is required"
fh_raw CreateDeliveryStream '{"DeliveryStreamName":"no-bucket","ExtendedS3DestinationConfiguration":{"RoleARN":"'"$ROLE"'"}}'
expect_error 400 "$INVALID" BucketARN "missing BucketARN"
fh_raw CreateDeliveryStream '{"DeliveryStreamName":"no-destination"}'
expect_error 400 "$INVALID" "" "no destination configuration"
fh_raw PutRecord '{"DeliveryStreamName":"s-err"}'
expect_error 400 "$INVALID" Record "missing Record"
fh_raw PutRecord '{"Record":{"Data":"eA=="}}'
expect_error 400 "$INVALID" DeliveryStreamName "missing DeliveryStreamName"
fh_raw PutRecord '{"DeliveryStreamName":"s-err","Record":{"Data":"!!not base64!!"}}'
expect_error 400 "$SERIAL" Data "invalid base64"
fh_raw PutRecordBatch '{"DeliveryStreamName":"s-err","Records":[]}'
expect_error 400 "$INVALID" Records "empty Records"

curl_target() {  # TARGET: a request with an arbitrary X-Amz-Target (or none when empty)
  HTTP_STATUS="$(curl -sS --max-time 30 -o "$TEST_TMP/raw-response" -w '%{http_code}' -X POST \
    -H 'Content-Type: application/x-amz-json-1.1' ${1:+-H "X-Amz-Target: $1"} \
    --data-binary '{}' "http://127.0.0.1:$SERVER_PORT/")"
  HTTP_BODY="$(cat "$TEST_TMP/raw-response")"
}
readonly UNKNOWN_OP="InvalidAction|UnknownOperationException|SerializationException|InvalidArgumentException"
curl_target Firehose_20150804.NoSuchOperation
expect_error 400 "$UNKNOWN_OP" NoSuchOperation "unknown operation"
curl_target Kinesis_20131202.PutRecord
expect_error 400 "$UNKNOWN_OP" "" "target of another service"
curl_target ""
expect_error 400 "$UNKNOWN_OP|MissingAction" "" "no X-Amz-Target"

fh_raw PutRecord '{"DeliveryStreamName":"no-such-stream","Record":{"Data":"eA=="}}'
expect_error 400 "$NOT_FOUND" no-such-stream "PutRecord to an unknown stream"
fh_raw PutRecordBatch '{"DeliveryStreamName":"no-such-stream","Records":[{"Data":"eA=="}]}'
expect_error 400 "$NOT_FOUND" no-such-stream "PutRecordBatch to an unknown stream"
for op in DescribeDeliveryStream DeleteDeliveryStream ListTagsForDeliveryStream; do
  fh_raw "$op" '{"DeliveryStreamName":"no-such-stream"}'
  expect_error 400 "$NOT_FOUND" no-such-stream "$op of an unknown stream"
done
fh_raw TagDeliveryStream '{"DeliveryStreamName":"no-such-stream","Tags":[{"Key":"k","Value":"v"}]}'
expect_error 400 "$NOT_FOUND" no-such-stream "TagDeliveryStream of an unknown stream"
fh_raw UpdateDestination "{\"DeliveryStreamName\":\"no-such-stream\",\"CurrentDeliveryStreamVersionId\":\"1\",\"DestinationId\":\"$DEST_ID\",\"ExtendedS3DestinationUpdate\":{}}"
expect_error 400 "$NOT_FOUND" no-such-stream "UpdateDestination of an unknown stream"
aws_fh_error "$NOT_FOUND" describe-delivery-stream --delivery-stream-name no-such-stream >/dev/null

record_of_size 1024001 >"$big"
fh_raw PutRecord "@$big"
expect_error 400 "$INVALID" Data "record of 1,024,001 bytes"
batch_of 501 1 >"$big"
fh_raw PutRecordBatch "@$big"
expect_error 400 "$INVALID" Records "batch of 501 records"
batch_of 5 1000000 >"$big"
fh_raw PutRecordBatch "@$big"
expect_error 400 "$INVALID" Records "batch of 5,000,000 bytes (over 4 MiB)"

fh_raw CreateDeliveryStream "$(create_body 'bad name!' bkt-x)"
expect_error 400 "$INVALID" DeliveryStreamName "stream name with invalid characters"
fh_raw CreateDeliveryStream "$(create_body "$(printf 'n%.0s' {1..65})" bkt-x)"
expect_error 400 "$INVALID" DeliveryStreamName "stream name of 65 characters"
for hints in 'SizeInMBs 0 0' 'SizeInMBs 129 0' 'IntervalInSeconds 1 -1' 'IntervalInSeconds 1 901'; do
  read -r field size interval <<<"$hints"
  fh_raw CreateDeliveryStream "$(create_body hints-out-of-range bkt-x \
    "\"BufferingHints\":{\"SizeInMBs\":$size,\"IntervalInSeconds\":$interval}")"
  expect_error 400 "$INVALID" "$field" "BufferingHints $size MB / $interval s on create"
done
fh_raw UpdateDestination "{\"DeliveryStreamName\":\"s-ext\",\"CurrentDeliveryStreamVersionId\":\"2\",\"DestinationId\":\"$DEST_ID\",\"ExtendedS3DestinationUpdate\":{\"BufferingHints\":{\"SizeInMBs\":200,\"IntervalInSeconds\":0}}}"
expect_error 400 "$INVALID" SizeInMBs "BufferingHints 200 MB on update"
fh_raw CreateDeliveryStream "$(create_body s-ext bkt-other)"
expect_error 400 ResourceInUseException s-ext "duplicate stream name"
fh_raw ListDeliveryStreams '{"Limit":0}'
expect_error 400 "$INVALID" Limit "ListDeliveryStreams Limit 0"

log "errors changed nothing"
assert_eq "$all" "$(stream_names)" "stream names after the rejected creates"
desc="$(aws_fh describe-delivery-stream --delivery-stream-name s-ext)"
jq_eq "$desc" "$d.VersionId" 2 "s-ext VersionId after rejected requests"
jq_eq "$desc" "$x.BucketARN" arn:aws:s3:::bkt-ext "s-ext BucketARN after the duplicate create"
jq_eq "$desc" "$x.BufferingHints.SizeInMBs" 2 "s-ext SizeInMBs after the rejected update"

log "limits: a record of exactly 1,024,000 bytes is accepted; rejected puts left no data"
record_of_size 1024000 >"$big"
fh_raw PutRecord "@$big"
expect_ok "record of exactly 1,024,000 bytes"
head -c 1024000 /dev/zero | tr '\0' x >"$TEST_TMP/want"
wait_delivered bkt-err "$TEST_TMP/snapshot-bkt-err" "$TEST_TMP/want"
# Delivery keeps arrival order, so once this sentinel is out, nothing rejected above can be
# still on its way.
snapshot bkt-err
printf 'sentinel\n' >"$TEST_TMP/want"
aws_fh put-record --delivery-stream-name s-err --cli-binary-format raw-in-base64-out \
  --record '{"Data":"sentinel\n"}' >/dev/null
wait_delivered bkt-err "$TEST_TMP/snapshot-bkt-err" "$TEST_TMP/want"

# ---------------------------------------------------------------------------------------------
log "delete: the stream disappears from describe and list"
aws_fh delete-delivery-stream --delivery-stream-name s-plain >/dev/null
for ((i = 0; ; i++)); do
  rc=0
  err="$(aws_fh describe-delivery-stream --delivery-stream-name s-plain 2>&1 >/dev/null)" || rc=$?
  [[ $rc -ne 0 && "$err" == *"($NOT_FOUND)"* ]] && break
  ((i < WAIT_SECONDS * 10)) || fail "s-plain still described ${WAIT_SECONDS}s after delete"
  sleep 0.1
done
all="s-defaults s-err s-ext s-gz"
assert_eq "$all" "$(stream_names)" "stream names after delete"

# ---------------------------------------------------------------------------------------------
log "SIGTERM: exit code 0 after delivering what is due"
snapshot bkt-ext
printf 'due at shutdown\n' >"$TEST_TMP/want"
aws_fh put-record --delivery-stream-name s-ext --cli-binary-format raw-in-base64-out \
  --record '{"Data":"due at shutdown\n"}' >/dev/null
server_stop
mapfile -t keys < <(new_objects bkt-ext "$TEST_TMP/snapshot-bkt-ext")
((${#keys[@]} > 0)) || fail "the record put before SIGTERM (interval 0) was not delivered by exit"
cmp "$TEST_TMP/want" <(cat_objects bkt-ext "${keys[@]}") ||
  fail "bytes delivered at shutdown differ from the record put"

log "restart: API-created streams, their versions and tags survive"
server_start "$TEST_TMP/data"
assert_eq "$all" "$(stream_names)" "stream names after restart"
desc="$(aws_fh describe-delivery-stream --delivery-stream-name s-ext)"
jq_eq "$desc" "$d.VersionId" 2 "s-ext VersionId after restart"
jq_eq "$desc" "$x.Prefix" v2/ "s-ext Prefix after restart"
assert_eq '["team=ingest"]
false' "$(tags_of s-gz)" "tags after restart"
snapshot bkt-ext
printf 'after restart\n' >"$TEST_TMP/want"
aws_fh put-record --delivery-stream-name s-ext --cli-binary-format raw-in-base64-out \
  --record '{"Data":"after restart\n"}' >/dev/null
wait_delivered bkt-ext "$TEST_TMP/snapshot-bkt-ext" "$TEST_TMP/want"
server_stop

log "awscli_test: all checks passed"

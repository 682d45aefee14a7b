#!/usr/bin/env bash
# Lambda transformation through the Lambda Invoke API: a function host of the test's own
# (lambda_server.mjs) upper-cases, drops and fails records; the delivered object, the dropped
# records and the processing-failed error output are checked exactly. A failing function sends
# its records to processing-failed after the retries.
# shellcheck source=tests/integration/lib.sh
source "$(dirname "$0")/lib.sh"

readonly LAMBDA_PORT="$(pick_free_port)"
"$NODE" "$INTEGRATION_DIR/lambda_server.mjs" "$LAMBDA_PORT" >"$TEST_TMP/lambda.log" 2>&1 &
LAMBDA_PID=$!
trap 'rc=$?; kill "$LAMBDA_PID" 2>/dev/null || true; _on_exit "$rc"' EXIT
ticks=$((WAIT_SECONDS * 10))
until curl -s -o /dev/null --max-time 1 "http://127.0.0.1:$LAMBDA_PORT/"; do
  ((ticks-- > 0)) || fail "the function host did not answer: $(cat "$TEST_TMP/lambda.log")"
  sleep 0.1
done

cat >"$TEST_TMP/config.yaml" <<YAML
lambda:
  endpoint: http://127.0.0.1:$LAMBDA_PORT
  region: us-east-1
  access_key_id: AKIDEXAMPLE
  secret_access_key: secret
YAML
server_start "$TEST_TMP/data" --config "$TEST_TMP/config.yaml"

create() {  # NAME FUNCTION RETRIES
  fh_raw CreateDeliveryStream '{"DeliveryStreamName":"'"$1"'","ExtendedS3DestinationConfiguration":{"RoleARN":"arn:aws:iam::123456789012:role/firehose","BucketARN":"arn:aws:s3:::'"$1"'","Prefix":"out/","ErrorOutputPrefix":"err/!{firehose:error-output-type}/","BufferingHints":{"SizeInMBs":1,"IntervalInSeconds":0},"ProcessingConfiguration":{"Enabled":true,"Processors":[{"Type":"Lambda","Parameters":[{"ParameterName":"LambdaArn","ParameterValue":"arn:aws:lambda:us-east-1:123456789012:function:'"$2"'"},{"ParameterName":"NumberOfRetries","ParameterValue":"'"$3"'"}]},{"Type":"AppendDelimiterToRecord"}]}}}'
  expect_ok "create $1"
}
put() {  # NAME RECORD...
  local name=$1 records="" r
  shift
  for r in "$@"; do records+="${records:+,}{\"Data\":\"$(printf '%s' "$r" | base64 -w0)\"}"; done
  fh_raw PutRecordBatch "{\"DeliveryStreamName\":\"$name\",\"Records\":[$records]}"
  expect_ok "put to $name"
}
wait_for() {  # BUCKET PREFIX
  local ticks=$((WAIT_SECONDS * 10))
  until list_objects "$1" | grep -q "^$2"; do
    ((ticks-- > 0)) || fail "no object under $1/$2: $(list_objects "$1")"
    sleep 0.1
  done
}

create upper upper 1
put upper "hello" "drop me" "fail me" "world"
wait_for upper out/
wait_for upper err/processing-failed/
assert_eq "$(printf 'HELLO\nWORLD\n')" "$(cat_objects upper $(list_objects upper | grep '^out/'))" "delivered records"
errors="$(cat_objects upper $(list_objects upper | grep '^err/processing-failed/'))"
assert_eq 1 "$(grep -c . <<<"$errors")" "processing-failed documents"
assert_eq "fail me" "$(jq -r .rawData <<<"$errors" | base64 -d)" "rawData of the failed record"
assert_eq "Lambda.ProcessingFailedStatus" "$(jq -r .errorCode <<<"$errors")" "errorCode"
assert_eq "arn:aws:lambda:us-east-1:123456789012:function:upper" "$(jq -r .lambdaArn <<<"$errors")" "lambdaArn"
log "ok: Ok records transformed and delivered, Dropped gone, ProcessingFailed in the error output"

create broken broken 1
put broken "a" "b"
wait_for broken err/processing-failed/
errors="$(cat_objects broken $(list_objects broken | grep '^err/processing-failed/'))"
assert_eq 2 "$(grep -c . <<<"$errors")" "processing-failed documents of a failing function"
assert_eq "Lambda.FunctionError" "$(jq -r .errorCode <<<"$errors" | sort -u)" "errorCode of a failing function"
[[ -z "$(list_objects broken | grep '^out/' || true)" ]] || fail "a failing function must deliver nothing"
log "ok: a failing function sends its records to processing-failed after the retries"

log "dynamic partitioning by the function's metadata.partitionKeys"
fh_raw CreateDeliveryStream '{"DeliveryStreamName":"parts","ExtendedS3DestinationConfiguration":{"RoleARN":"arn:aws:iam::123456789012:role/firehose","BucketARN":"arn:aws:s3:::parts","Prefix":"customer=!{partitionKeyFromLambda:customer}/","ErrorOutputPrefix":"err/!{firehose:error-output-type}/","BufferingHints":{"SizeInMBs":1,"IntervalInSeconds":1},"DynamicPartitioningConfiguration":{"Enabled":true},"ProcessingConfiguration":{"Enabled":true,"Processors":[{"Type":"Lambda","Parameters":[{"ParameterName":"LambdaArn","ParameterValue":"arn:aws:lambda:us-east-1:123456789012:function:partition"}]},{"Type":"AppendDelimiterToRecord"}]}}}'
expect_ok "create parts"
put parts "acme one" "globex two" "acme three"
# The function's buffer (BufferIntervalInSeconds, 60 s by default) holds the records before it is
# invoked; deleting the stream delivers everything buffered, through both stages.
fh_raw DeleteDeliveryStream '{"DeliveryStreamName":"parts"}'
expect_ok "delete parts"
wait_for parts customer=globex/
wait_for parts customer=acme/
assert_eq "$(printf 'acme one\nacme three\n')" "$(cat_objects parts $(list_objects parts | grep '^customer=acme/'))" "partition acme"
assert_eq "$(printf 'globex two\n')" "$(cat_objects parts $(list_objects parts | grep '^customer=globex/'))" "partition globex"
log "ok: one object per partitionKeyFromLambda value"

server_stop
log "lambda_test: all checks passed"

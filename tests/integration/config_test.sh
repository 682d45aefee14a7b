#!/usr/bin/env bash
# The command line and the YAML config file: --help, streams defined under `streams:` that
# deliver, and bad configs that stop the server with a precise error.
# shellcheck source=tests/integration/lib.sh
source "$(dirname "$0")/lib.sh"

log "serve --help names every flag and exits 0"
help_rc=0
help="$(timeout 10 "$SLUICE_BIN" serve --help 2>&1)" || help_rc=$?
assert_eq 0 "$help_rc" "exit code of serve --help"
for flag in --listen --data-dir --config --help; do
  assert_contains "$help" "$flag" "serve --help"
done

# must_refuse WHAT EXPECTED-TEXT ARGS...: `sluice ARGS...` exits non-zero (without starting to
# serve) and says EXPECTED-TEXT.
must_refuse() {
  local what=$1 text=$2 rc=0 out
  shift 2
  out="$(timeout 20 "$SLUICE_BIN" "$@" 2>&1)" || rc=$?
  ((rc != 124)) || fail "$what: still running after 20s (it should have refused to start)"
  ((rc != 0)) || fail "$what: exit code 0; output: $out"
  assert_contains "$out" "$text" "$what: error output"
  log "ok: $what -> exit $rc: $(head -n 3 <<<"$out")"
}

port="$(pick_free_port)"
serve=(serve --listen "127.0.0.1:$port" --data-dir "$TEST_TMP/refused")
must_refuse "unknown flag" --no-such-flag "${serve[@]}" --no-such-flag

# ---------------------------------------------------------------------------------------------
log "bad config files are refused with a precise error"
write_config() {  # NAME: writes stdin to $TEST_TMP/NAME.yaml
  cat >"$TEST_TMP/$1.yaml"
}
stream_yaml() {  # NAME BUCKET INTERVAL [extra destination lines, 6-space indented]
  cat <<EOF
  - DeliveryStreamName: $1
    DeliveryStreamType: DirectPut
    ExtendedS3DestinationConfiguration:
      RoleARN: arn:aws:iam::123456789012:role/firehose
      BucketARN: arn:aws:s3:::$2
      BufferingHints:
        SizeInMBs: 1
        IntervalInSeconds: $3
${4:-}
EOF
}

must_refuse "missing config file" "$TEST_TMP/absent.yaml" \
  "${serve[@]}" --config "$TEST_TMP/absent.yaml"

write_config syntax <<'EOF'
streams: [
  - DeliveryStreamName: broken
EOF
must_refuse "YAML syntax error" syntax.yaml "${serve[@]}" --config "$TEST_TMP/syntax.yaml"

{ echo 'streams:'; stream_yaml bad-interval b 901; } | write_config interval
must_refuse "IntervalInSeconds out of range" IntervalInSeconds \
  "${serve[@]}" --config "$TEST_TMP/interval.yaml"

write_config no-bucket <<'EOF'
streams:
  - DeliveryStreamName: no-bucket
    ExtendedS3DestinationConfiguration:
      RoleARN: arn:aws:iam::123456789012:role/firehose
EOF
must_refuse "missing BucketARN" BucketARN "${serve[@]}" --config "$TEST_TMP/no-bucket.yaml"

{ echo 'no_such_setting: 1'; echo 'streams:'; stream_yaml fine b 0; } | write_config unknown-key
must_refuse "unknown top-level key" no_such_setting "${serve[@]}" --config "$TEST_TMP/unknown-key.yaml"

{ echo 'streams:'; stream_yaml twice b 0; stream_yaml twice c 0; } | write_config duplicate
must_refuse "stream defined twice" twice "${serve[@]}" --config "$TEST_TMP/duplicate.yaml"

# ---------------------------------------------------------------------------------------------
log "streams from the config file are served and deliver"
{
  echo 'streams:'
  stream_yaml cfg-raw cfg-raw 0
  stream_yaml cfg-gz cfg-gz 1 '      CompressionFormat: GZIP
      Prefix: "from-config/"'
} | write_config good
server_start "$TEST_TMP/data" --config "$TEST_TMP/good.yaml"

names="$(aws_fh list-delivery-streams | jq -r '.DeliveryStreamNames | join(" ")')"
assert_eq "cfg-gz cfg-raw" "$names" "streams defined in the config"
desc="$(aws_fh describe-delivery-stream --delivery-stream-name cfg-gz)"
x='.DeliveryStreamDescription.Destinations[0].ExtendedS3DestinationDescription'
jq_eq "$desc" "$x.CompressionFormat" GZIP "config stream CompressionFormat"
jq_eq "$desc" "$x.Prefix" from-config/ "config stream Prefix"
jq_eq "$desc" "$x.BufferingHints.IntervalInSeconds" 1 "config stream IntervalInSeconds"

for stream in cfg-raw cfg-gz; do
  list_objects "$stream" >"$TEST_TMP/snapshot"
  printf 'from %s\nsecond record\n' "$stream" >"$TEST_TMP/want"
  aws_fh put-record-batch --delivery-stream-name "$stream" --cli-binary-format raw-in-base64-out \
    --records "[{\"Data\":\"from $stream\\n\"},{\"Data\":\"second record\\n\"}]" >/dev/null
  wait_delivered "$stream" "$TEST_TMP/snapshot" "$TEST_TMP/want"
done
for key in "${DELIVERED_KEYS[@]}"; do
  assert_match "$key" '^from-config/[0-9]{4}/[0-9]{2}/[0-9]{2}/[0-9]{2}/cfg-gz-1-.*\.gz$' "config stream key"
done

log "restart with the same config: still served"
server_stop
server_start "$TEST_TMP/data" --config "$TEST_TMP/good.yaml"
names="$(aws_fh list-delivery-streams | jq -r '.DeliveryStreamNames | join(" ")')"
assert_eq "cfg-gz cfg-raw" "$names" "streams after restart with the config"
server_stop

log "config_test: all checks passed"

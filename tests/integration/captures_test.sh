#!/usr/bin/env bash
# Replays the requests captured from real clients (shared/fixtures/client-captures/*.http) that
# target Firehose, byte for byte, against a fresh server per client: creates first, then the
# rest in name order. Each must be accepted, except captures named *-missing-400.http, which
# must be answered 400 ResourceNotFoundException.
# shellcheck source=tests/integration/lib.sh
source "$(dirname "$0")/lib.sh"

: "${SLUICE_SHARED_DIR:?SLUICE_SHARED_DIR must name the shared folder (with fixtures/)}"
readonly CAPTURES="$SLUICE_SHARED_DIR/fixtures/client-captures"
[[ -d "$CAPTURES" ]] || fail "no captures folder at $CAPTURES"

replay() {  # FILE: sets HTTP_STATUS and HTTP_BODY
  local answer
  answer="$("$NODE" "$INTEGRATION_DIR/replay_http.mjs" "$SERVER_PORT" "$1")" ||
    fail "replay of $(basename "$1") failed"
  HTTP_STATUS="$(head -n 1 <<<"$answer")"
  HTTP_BODY="$(tail -n +2 <<<"$answer")"
}

target_of() { grep -aio -m1 '^x-amz-target: *Firehose_20150804\.[A-Za-z]*' "$1" | sed 's/.*\.//' || true; }

check_answer() {  # FILE OPERATION
  local name
  name="$(basename "$1")"
  if [[ "$name" == *-missing-400.http ]]; then
    expect_error 400 ResourceNotFoundException "" "$name"
    return
  fi
  expect_ok "$name"
  case "$2" in
    CreateDeliveryStream)
      assert_match "$(jq -r .DeliveryStreamARN <<<"$HTTP_BODY")" ':deliverystream/[A-Za-z0-9_.-]+$' \
        "$name: DeliveryStreamARN" ;;
    PutRecord)
      [[ -n "$(jq -r '.RecordId // empty' <<<"$HTTP_BODY")" ]] || fail "$name: no RecordId: $HTTP_BODY" ;;
    PutRecordBatch)
      jq_eq "$HTTP_BODY" .FailedPutCount 0 "$name: FailedPutCount"
      jq_eq "$HTTP_BODY" '[.RequestResponses[] | select(.RecordId)] | length' \
        "$(grep -ao '"Data"' "$1" | wc -l)" "$name: entries with a RecordId" ;;
  esac
  log "ok: $name -> 200"
}

replayed=0
mapfile -t clients < <(cd "$CAPTURES" && ls -- *.http | sed 's/-.*//' | sort -u)
for client in "${clients[@]}"; do
  creates=() others=()
  for file in "$CAPTURES/$client"-*.http; do
    op="$(target_of "$file")"
    if [[ -z "$op" ]]; then
      log "skip: $(basename "$file") is not a Firehose request"
    elif [[ "$op" == CreateDeliveryStream ]]; then
      creates+=("$file")
    else
      others+=("$file")
    fi
  done
  ((${#creates[@]} + ${#others[@]} > 0)) || continue
  log "client $client: fresh server"
  server_start "$TEST_TMP/data-$client"
  for file in "${creates[@]}" "${others[@]}"; do
    replay "$file"
    check_answer "$file" "$(target_of "$file")"
    replayed=$((replayed + 1))
  done
  server_stop
done
((replayed >= 8)) || fail "only $replayed Firehose captures found in $CAPTURES"
log "captures_test: $replayed captures replayed, all answered as expected"

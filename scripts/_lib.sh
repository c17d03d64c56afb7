# shellcheck shell=bash
# Shared by scripts/test, scripts/demo and scripts/lab: finds or installs what
# the project needs on a fresh machine of this project's kind.
#   - Deno through npm into the git-ignored .tools/ when it is not on PATH:
#     `npm ci` from the committed scripts/deno-pin/package-lock.json, so npm
#     checks every package against the lock's integrity hashes, and with
#     --ignore-scripts, so no install script runs (the platform package's own
#     binary is used, not npm's node wrapper).
#   - Debian packages through apt when running as root; otherwise a clear
#     message naming them. Node.js and npm install the lab's playwright-core;
#     Chromium and ffmpeg are the lab's browser and Playwright's video encoder;
#     systemd provides systemd-analyze, which checks the shipped units.

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
DENO_VERSION="2.9.6"
# The committed pin (package.json + package-lock.json, deno at DENO_VERSION)
# and the git-ignored folder npm ci installs it into.
DENO_PIN="$ROOT/scripts/deno-pin"
TOOLS="$ROOT/.tools"
# Debian packages and a file each one provides.
DEBIAN_PACKAGES=(
  "openssh-client:/usr/bin/ssh"
  "openssh-server:/usr/sbin/sshd"
  "nodejs:/usr/bin/node"
  "npm:/usr/bin/npm"
  "chromium:/usr/bin/chromium"
  "ffmpeg:/usr/bin/ffmpeg"
  "systemd:/usr/bin/systemd-analyze"
)

say() { printf '%s\n' "$*" >&2; }

ensure_debian_packages() {
  local missing=() entry pkg file
  for entry in "${DEBIAN_PACKAGES[@]}" "$@"; do
    pkg="${entry%%:*}"
    file="${entry#*:}"
    [ -e "$file" ] || missing+=("$pkg")
  done
  [ "${#missing[@]}" -eq 0 ] && return 0
  if [ "$(id -u)" -ne 0 ]; then
    say "missing Debian packages: ${missing[*]}"
    say "install them with: sudo apt-get install -y ${missing[*]}"
    return 1
  fi
  say "installing Debian packages: ${missing[*]}"
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq >/dev/null
  apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
}

deno_ok() {
  "$1" --version 2>/dev/null | head -1 | grep -q "^deno ${DENO_VERSION} "
}

# The Deno binary of the platform package npm ci installed into .tools/ (npm
# installs only the optional dependency matching this machine).
tools_deno() {
  local d
  for d in "$TOOLS"/node_modules/@deno/*/deno; do
    [ -x "$d" ] && { printf '%s\n' "$d"; return 0; }
  done
  return 1
}

# npm ci from the committed lock into .tools/; sets DENO. The release
# workflow calls this too, so CI, releases and scripts/test run one Deno.
# The marker is written only after a complete install, so an interrupted
# one is redone rather than trusted.
install_pinned_deno() {
  local log
  say "installing Deno ${DENO_VERSION} from npm into .tools/ (npm ci from scripts/deno-pin/package-lock.json)"
  rm -f "$TOOLS/.installed-from-lock"
  mkdir -p "$TOOLS"
  cp "$DENO_PIN/package.json" "$DENO_PIN/package-lock.json" "$TOOLS/"
  log="$(mktemp)"
  if ! (cd "$TOOLS" && npm ci --ignore-scripts --no-audit --no-fund) >"$log" 2>&1; then
    say "cannot install Deno ${DENO_VERSION} with npm ci:"
    tail -n 20 "$log" >&2
    rm -f "$log"
    return 1
  fi
  rm -f "$log"
  DENO="$(tools_deno)" || {
    # npm skips an optional dependency that fails, integrity check included:
    # the platform package missing is how a bad download shows.
    say "npm ci installed no Deno binary for this platform into .tools/ (a platform package failing its integrity check is skipped: see npm ci --loglevel=verbose)"
    return 1
  }
  deno_ok "$DENO" || { say "Deno at $DENO is not ${DENO_VERSION} or does not run"; return 1; }
  cp "$DENO_PIN/package-lock.json" "$TOOLS/.installed-from-lock"
  export DENO
}

# A deno on PATH at DENO_VERSION is used as it is (fast path); else the one in
# .tools/ if it was installed from the lock committed now; else npm ci.
ensure_deno() {
  local candidate
  candidate="$(command -v deno 2>/dev/null || true)"
  if [ -n "$candidate" ] && deno_ok "$candidate"; then
    DENO="$candidate"
    export DENO
    return 0
  fi
  if cmp -s "$DENO_PIN/package-lock.json" "$TOOLS/.installed-from-lock" &&
    candidate="$(tools_deno)" && deno_ok "$candidate"; then
    DENO="$candidate"
    export DENO
    return 0
  fi
  if ! command -v npm >/dev/null 2>&1; then
    if [ "$(id -u)" -eq 0 ]; then
      ensure_debian_packages "nodejs:/usr/bin/node" "npm:/usr/bin/npm"
    else
      say "Deno ${DENO_VERSION} is not on PATH and npm is missing to install it"
      say "install it with: sudo apt-get install -y nodejs npm   (then run this again)"
      return 1
    fi
  fi
  install_pinned_deno
}

ensure_all() {
  ensure_debian_packages && ensure_deno && export PATH="$(dirname "$DENO"):$PATH"
}

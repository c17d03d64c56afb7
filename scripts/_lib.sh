# shellcheck shell=bash
# Shared by scripts/test, scripts/demo and scripts/lab: finds or installs what
# the project needs on a fresh machine of this project's kind.
#   - Deno through npm into the git-ignored .tools/ when it is not on PATH.
#   - Debian packages through apt when running as root; otherwise a clear
#     message naming them. Node.js and npm install the lab's playwright-core;
#     Chromium and ffmpeg are the lab's browser and Playwright's video encoder;
#     systemd provides systemd-analyze, which checks the shipped units.

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
DENO_VERSION="2.9.6"
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

ensure_deno() {
  local candidate
  for candidate in "$(command -v deno 2>/dev/null)" "$ROOT/.tools/node_modules/.bin/deno"; do
    if [ -n "$candidate" ] && deno_ok "$candidate"; then
      DENO="$candidate"
      export DENO
      return 0
    fi
  done
  if ! command -v npm >/dev/null 2>&1; then
    if [ "$(id -u)" -eq 0 ]; then
      ensure_debian_packages "nodejs:/usr/bin/node" "npm:/usr/bin/npm"
    else
      say "Deno ${DENO_VERSION} is not on PATH and npm is missing to install it"
      say "install it with: sudo apt-get install -y nodejs npm   (then run this again)"
      return 1
    fi
  fi
  say "installing Deno ${DENO_VERSION} from npm into .tools/"
  mkdir -p "$ROOT/.tools"
  [ -f "$ROOT/.tools/package.json" ] || printf '{"name":"win-automation-tools","private":true}\n' >"$ROOT/.tools/package.json"
  (cd "$ROOT/.tools" && npm install --silent --no-audit --no-fund "deno@${DENO_VERSION}" >/dev/null 2>&1) || {
    say "cannot install Deno ${DENO_VERSION} with npm"
    return 1
  }
  DENO="$ROOT/.tools/node_modules/.bin/deno"
  deno_ok "$DENO" || { say "Deno at $DENO does not run"; return 1; }
  export DENO
}

ensure_all() {
  ensure_debian_packages && ensure_deno && export PATH="$(dirname "$DENO"):$PATH"
}

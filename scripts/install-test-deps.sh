#!/usr/bin/env bash
# Installs the system packages the test suite needs, if missing:
#   postgresql  integration tests against a real PostgreSQL (scripts/pgtest.sh)
#   chromium    browser tests (chromedp)
#   iproute2    ip: network namespaces for the browser test on a bad network
#   gcc         cgo: the SQLite driver, and go test -race
# With the argument "gcc" only the C compiler is checked (make run / build).
# As root on Debian/Ubuntu it uses apt-get; otherwise it lists what is
# missing and fails. Safe to run repeatedly: does nothing when all present.
set -euo pipefail

missing=()

have_postgres() {
	compgen -G '/usr/lib/postgresql/*/bin/initdb' >/dev/null || command -v initdb >/dev/null
}
have_chromium() {
	local b
	[[ -x /usr/bin/chromium ]] && return 0
	for b in chromium chromium-browser google-chrome google-chrome-stable; do
		command -v "$b" >/dev/null && return 0
	done
	return 1
}

if [[ ${1:-} != gcc ]]; then
	have_postgres || missing+=(postgresql)
	have_chromium || missing+=(chromium)
	command -v ip >/dev/null || missing+=(iproute2)
fi
command -v gcc >/dev/null || missing+=(gcc libc6-dev)

if ((${#missing[@]} > 0)); then
	if [[ $(id -u) -ne 0 ]] || ! command -v apt-get >/dev/null; then
		echo "test dependencies missing: ${missing[*]}" >&2
		echo "install them, e.g.: sudo apt-get install -y ${missing[*]}" >&2
		exit 1
	fi
	echo "installing test dependencies: ${missing[*]}" >&2
	export DEBIAN_FRONTEND=noninteractive
	apt-get update -qq
	apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
fi

# The accessibility tests inject axe-core into the pages; it lives in
# node_modules/ next to go.mod (git-ignored) and is installed once.
install_axe_core() {
	local root
	root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
	[[ -f $root/node_modules/axe-core/axe.min.js ]] && return 0
	if ! command -v npm >/dev/null; then
		echo "npm is needed to install axe-core for the accessibility tests" >&2
		exit 1
	fi
	echo "installing axe-core (npm)" >&2
	(cd "$root" && npm install --no-save --no-audit --no-fund --silent axe-core@4 >/dev/null)
}
install_axe_core

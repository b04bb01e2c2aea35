#!/usr/bin/env bash
# Throw-away PostgreSQL cluster for tests.
#
#   scripts/pgtest.sh run -- CMD [ARGS...]  start, run CMD with
#                                           SPRECHSTUNDE_TEST_POSTGRES set,
#                                           always stop; exits with CMD's status
#   eval "$(scripts/pgtest.sh start)"       start; prints export lines
#   scripts/pgtest.sh stop [DIR]            stop and delete (DIR or $PGTEST_DIR)
#
# The cluster lives in a temp dir, listens on 127.0.0.1 on a free port with
# trust auth, and trades durability for speed (fsync off). PostgreSQL
# refuses to run as root, so as root the server runs as user postgres.
set -euo pipefail
shopt -s inherit_errexit

log() { echo "pgtest: $*" >&2; }
die() { log "$*"; exit 1; }

# pg_bin finds the newest Debian-style install, else initdb on PATH.
pg_bin() {
	local d
	d=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1 || true)
	if [[ -n "$d" && -x "$d/initdb" ]]; then
		echo "$d"
	elif command -v initdb >/dev/null; then
		dirname "$(command -v initdb)"
	else
		die "initdb not found; install PostgreSQL (Debian: apt-get install postgresql)"
	fi
}

# as_pg runs a command as the postgres user when we are root.
as_pg() {
	if [[ $(id -u) -eq 0 ]]; then
		# cd /: the postgres user may not be allowed into the caller's cwd.
		(cd / && runuser -u postgres -- "$@")
	else
		"$@"
	fi
}

# port_free reports whether nothing accepts TCP connections on the port.
port_free() {
	! (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null
}

random_port() {
	local p
	for _ in $(seq 1 50); do
		p=$((20000 + RANDOM % 30000))
		if port_free "$p"; then
			echo "$p"
			return
		fi
	done
	die "no free port found"
}

# start_cluster DIR: initialises and starts a cluster, prints its port.
start_cluster() {
	local dir=$1 bin port
	bin=$(pg_bin)
	if [[ $(id -u) -eq 0 ]]; then
		id postgres >/dev/null 2>&1 || die "user postgres missing (is the postgresql package installed?)"
		chown postgres "$dir"
	fi
	as_pg "$bin/initdb" -D "$dir/data" -A trust -U postgres -E UTF8 --no-sync >"$dir/initdb.log" 2>&1 ||
		{ cat "$dir/initdb.log" >&2; die "initdb failed"; }
	# Another process may grab the port between the probe and the bind; retry.
	for _ in 1 2 3; do
		port=$(random_port)
		if as_pg "$bin/pg_ctl" -D "$dir/data" -l "$dir/server.log" -w -t 60 -o \
			"-p $port -k $dir -c listen_addresses=127.0.0.1 -c max_connections=300 -c shared_buffers=32MB -c fsync=off -c synchronous_commit=off -c full_page_writes=off" \
			start >/dev/null; then
			echo "$port"
			return
		fi
	done
	cat "$dir/server.log" >&2 || true
	die "pg_ctl start failed"
}

stop_cluster() {
	local dir=$1
	[[ -n "$dir" && -d "$dir" ]] || return 0
	if [[ -f "$dir/data/postmaster.pid" ]]; then
		as_pg "$(pg_bin)/pg_ctl" -D "$dir/data" -m immediate -w stop >/dev/null 2>&1 ||
			log "warning: pg_ctl stop failed for $dir"
	fi
	rm -rf "$dir"
}

dsn() { echo "postgres://postgres@127.0.0.1:$1/postgres?sslmode=disable"; }

new_dir() {
	# Short path: the Unix socket path must stay below ~100 bytes.
	mktemp -d /tmp/pgtest.XXXXXX
}

cmd=${1:-}
[[ $# -gt 0 ]] && shift
case "$cmd" in
start)
	dir=$(new_dir)
	port=$(start_cluster "$dir") || { stop_cluster "$dir"; exit 1; }
	echo "export PGTEST_DIR=$dir"
	echo "export SPRECHSTUNDE_TEST_POSTGRES='$(dsn "$port")'"
	;;
stop)
	stop_cluster "${1:-${PGTEST_DIR:-}}"
	;;
run)
	[[ "${1:-}" == "--" ]] && shift
	[[ $# -gt 0 ]] || die "usage: $0 run -- CMD [ARGS...]"
	dir=$(new_dir)
	trap 'stop_cluster "$dir"' EXIT
	trap 'exit 130' INT
	trap 'exit 143' TERM
	port=$(start_cluster "$dir")
	export SPRECHSTUNDE_TEST_POSTGRES
	SPRECHSTUNDE_TEST_POSTGRES=$(dsn "$port")
	log "PostgreSQL on 127.0.0.1:$port"
	set +e
	"$@"
	rc=$?
	set -e
	exit "$rc"
	;;
*)
	die "usage: $0 start | stop [DIR] | run -- CMD [ARGS...]"
	;;
esac

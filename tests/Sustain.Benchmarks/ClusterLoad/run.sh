#!/usr/bin/env bash
# Load on two Sustain instances behind nginx, as docs/deployment.md runs them: PostgreSQL, two Release
# instances on loopback ports, Debian's nginx in front. For DURATION seconds (60 by default) one wrk
# reads the public leaderboards while another uploads SBOMs through the REST API with an organisation
# token, and a browser pledges through the simulated checkout; then it checks that neither wrk saw a
# non-2xx answer or a socket error, that every upload answered 201 is in the database, and that the
# operator's ledger check finds no problem and records every payment.
#
#   tests/Sustain.Benchmarks/ClusterLoad/run.sh [DURATION]
#
# Needs wrk, nginx, chromium, psql (Debian: apt-get install wrk nginx chromium postgresql) and a
# PostgreSQL role that may create databases: SUSTAIN_TEST_POSTGRES, as for the tests, or the sustain_ci
# role .ci/run creates on 127.0.0.1:5432. A database of its own is created and dropped afterwards
# (KEEP=1 keeps it and the work folder). READ_CONNECTIONS (32) and UPLOAD_CONNECTIONS (4) set the load.
# The instances' API rate limit is raised: the default 300 a minute per token would answer 429.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../../.." && pwd)
duration=${1:-60}
read_connections=${READ_CONNECTIONS:-32}
upload_connections=${UPLOAD_CONNECTIONS:-4}
export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1

for tool in wrk /usr/sbin/nginx /usr/bin/chromium psql pg_isready dotnet; do
  command -v "$tool" >/dev/null || { echo "missing: $tool" >&2; exit 2; }
done

# PostgreSQL: the connection string's parts, for psql and for a database of this run's own.
connection=${SUSTAIN_TEST_POSTGRES:-"Host=127.0.0.1;Port=5432;Username=sustain_ci;Password=sustain_ci;Database=postgres"}
part() { tr ';' '\n' <<<"$connection" | awk -F= -v k="$1" 'tolower($1) == tolower(k) { print substr($0, index($0, "=") + 1) }'; }
export PGHOST=$(part Host) PGPORT=$(part Port) PGUSER=$(part Username) PGPASSWORD=$(part Password) PGDATABASE=$(part Database)
if ! pg_isready -q; then
  echo "PostgreSQL does not answer at $PGHOST:$PGPORT; starting the local cluster" >&2
  version=$(ls /usr/lib/postgresql | sort -V | tail -n 1)
  if [ "$(id -u)" -eq 0 ]; then pg_ctlcluster "$version" main start; else sudo pg_ctlcluster "$version" main start; fi
  for _ in $(seq 1 30); do pg_isready -q && break; sleep 1; done
fi
database="sustain_load_$(date +%s)"
psql -q -v ON_ERROR_STOP=1 -c "CREATE DATABASE $database"
app_connection="Host=$PGHOST;Port=$PGPORT;Username=$PGUSER;Password=$PGPASSWORD;Database=$database"

work=$(mktemp -d /tmp/sustain-cluster-load.XXXXXX)
pids=()
failures=0
cleanup() {
  for pid in "${pids[@]}"; do kill "$pid" 2>/dev/null || true; done
  wait 2>/dev/null || true
  if [ "${KEEP:-0}" = 1 ]; then
    echo "kept: database $database, folder $work"
    return
  fi
  # Autovacuum may still be on the fresh database for a moment, and only a superuser may end it.
  for _ in $(seq 1 20); do psql -q -c "DROP DATABASE IF EXISTS $database" 2>/dev/null && break; sleep 1; done
  if [ "$failures" = 0 ]; then rm -rf "$work"; else echo "the instances' logs and wrk's output are in $work"; fi
}
trap cleanup EXIT

free_port() { python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'; }

echo "== building (Release)"
# Into artifacts/, so a second run only copies what changed.
app="$root/artifacts/cluster-load/app"
dotnet publish "$root/src/Sustain.Web" -c Release -o "$app" --nologo -v quiet >"$work/publish.log" || { cat "$work/publish.log"; exit 1; }
# playwright-core and its node, from the package the browser tests use (restored with them).
dotnet restore "$root/tests/Sustain.E2E" -v quiet >/dev/null
playwright_version=$(sed -n 's/.*"Microsoft.Playwright" Version="\([^"]*\)".*/\1/p' "$root/Directory.Packages.props")
packages=$(dotnet nuget locals global-packages --list | sed 's/^global-packages: //')
driver="$packages/microsoft.playwright/$playwright_version/.playwright"
export PLAYWRIGHT_CORE="$driver/package"
node="$driver/node/linux-x64/node"

email="load-$(date +%s)@example.com"
closed="http://127.0.0.1:$(free_port)/"
start_instance() { # NAME PORT [SETTING=VALUE...]
  local name=$1 port=$2
  shift 2
  (cd "$app" && exec env ASPNETCORE_ENVIRONMENT=Production ASPNETCORE_FORWARDEDHEADERS_ENABLED=true \
    Database__Provider=Postgres Database__ConnectionString="$app_connection" \
    Operators__Emails="$email" RateLimits__ApiRequestsPerMinute=1000000 \
    Ecosystems__BaseAddress="$closed" GitHub__ApiBaseAddress="$closed" \
    Logging__LogLevel__Default=Warning Logging__LogLevel__Microsoft.Hosting.Lifetime=Information \
    "$@" dotnet Sustain.Web.dll --urls "http://127.0.0.1:$port" >"$work/$name.log" 2>&1) &
  pids+=($!)
  for _ in $(seq 1 180); do
    curl -fsS -o /dev/null "http://127.0.0.1:$port/healthz" 2>/dev/null && return 0
    sleep 1
  done
  echo "$name did not answer /healthz:" >&2
  tail -n 40 "$work/$name.log" >&2
  exit 1
}

echo "== starting two instances on database $database"
port1=$(free_port)
start_instance app-1 "$port1" Database__MigrateOnStartup=true Demo__Seed=true
port2=$(free_port)
start_instance app-2 "$port2" Database__MigrateOnStartup=false Demo__Seed=false

# As docs/deploy/nginx.conf, but round robin: the load is stateless (public pages, API tokens), and
# ip_hash would send every request from 127.0.0.1 to one instance.
proxy_port=$(free_port)
mkdir -p "$work/nginx"
cat >"$work/nginx/nginx.conf" <<EOF
daemon off;
master_process off;
error_log $work/nginx/error.log warn;
pid $work/nginx/nginx.pid;
events { worker_connections 1024; }
http {
    access_log off;
    client_body_temp_path $work/nginx/body;
    proxy_temp_path $work/nginx/proxy;
    fastcgi_temp_path $work/nginx/fastcgi;
    uwsgi_temp_path $work/nginx/uwsgi;
    scgi_temp_path $work/nginx/scgi;
    client_max_body_size 100m;
    upstream sustain {
        server 127.0.0.1:$port1;
        server 127.0.0.1:$port2;
        keepalive 64;
    }
    server {
        listen 127.0.0.1:$proxy_port;
        location / {
            proxy_pass http://sustain;
            proxy_http_version 1.1;
            proxy_set_header Connection "";
            proxy_set_header Host \$http_host;
            proxy_set_header X-Forwarded-For \$proxy_add_x_forwarded_for;
            proxy_set_header X-Forwarded-Proto \$scheme;
            add_header X-Upstream \$upstream_addr always;
        }
    }
}
EOF
/usr/sbin/nginx -p "$work/nginx" -c "$work/nginx/nginx.conf" &
pids+=($!)
base="http://127.0.0.1:$proxy_port"
for _ in $(seq 1 20); do curl -fsS -o /dev/null "$base/healthz" 2>/dev/null && break; sleep 0.5; done

# A browser's circuit must stay on one instance, which round robin does not do: it signs up on the first directly.
echo "== signing up on the first instance: organisation load-test and its upload token"
"$node" "$here/browser.js" setup "http://127.0.0.1:$port1" "$email" "$work"
token=$(cat "$work/token")

# Both leaderboards computed once before the clock starts, as a running installation has them.
curl -fsS -o /dev/null "$base/leaderboards/companies" && curl -fsS -o /dev/null "$base/leaderboards/projects"

echo "== ${duration}s: $read_connections connections reading the leaderboards, $upload_connections uploading SBOMs"
uptime | tee "$work/uptime-before"
wrk -t2 -c"$read_connections" -d"${duration}s" --timeout 30s --latency -s "$here/load.lua" "$base" -- reads >"$work/reads.txt" 2>&1 &
reads_pid=$!
wrk -t2 -c"$upload_connections" -d"${duration}s" --timeout 30s --latency -s "$here/load.lua" "$base" -- uploads "$token" "$work" >"$work/uploads.txt" 2>&1 &
uploads_pid=$!
# Money moving at the same time, so the ledger check afterwards has more than the demo's one payment to balance.
"$node" "$here/browser.js" pledges "http://127.0.0.1:$port2" "$duration" >"$work/pledges.txt" 2>&1 &
pledges_pid=$!
sleep $((duration * 3 / 4))
uptime | tee "$work/uptime-during"
wait "$reads_pid" "$uploads_pid"
uptime | tee "$work/uptime-after"
wait "$pledges_pid" || true

value() { awk -v k="$2" '$1 == k { print $2 }' "$work/$1.txt"; }
status_count() { awk -v s="$2" '$1 == "status" && $2 == s { print $3 }' "$work/$1.txt"; }
fail() { echo "FAIL: $*"; failures=$((failures + 1)); }
for run in reads uploads; do
  requests=$(value "$run" requests)
  ok=$(awk '$1 == "status" && $2 >= 200 && $2 < 300 { n += $3 } END { print n + 0 }' "$work/$run.txt")
  printf '%-8s %6s requests, %8s/s, p50 %7s ms, p90 %7s ms, p99 %7s ms, max %7s ms; by instance: %s\n' "$run" "$requests" "$(value "$run" rate)" \
    "$(value "$run" p50)" "$(value "$run" p90)" "$(value "$run" p99)" "$(value "$run" max)" "$(awk '$1 == "upstream" { printf "%s=%s ", $2, $3 }' "$work/$run.txt")"
  [ -n "$requests" ] && [ "$requests" -gt 0 ] || fail "$run: wrk made no request ($(cat "$work/$run.txt"))"
  [ "$ok" = "$requests" ] || fail "$run: $((requests - ok)) of $requests answers were not 2xx: $(awk '$1 == "status" { printf "%s×%s ", $2, $3 }' "$work/$run.txt")"
  [ "$(value "$run" socket_errors)" = 0 ] || fail "$run: $(value "$run" socket_errors) socket errors"
done

created=$(status_count uploads 201)
created=${created:-0}
in_flight=$(value uploads in_flight)
cat "$work"/ids-* | sort -u >"$work/answered-ids"
psql -d "$database" -Atq -c "SELECT u.\"Id\" FROM \"SbomUploads\" u JOIN \"Organisations\" o ON o.\"Id\" = u.\"OrganisationId\" WHERE o.\"Slug\" = 'load-test'" | sort -u >"$work/stored-ids"
stored=$(wc -l <"$work/stored-ids")
lost=$(comm -23 "$work/answered-ids" "$work/stored-ids" | wc -l)
echo "uploads: $created answered 201 Created ($(wc -l <"$work/answered-ids") distinct ids), $stored stored, $in_flight still in flight when wrk stopped"
[ "$(wc -l <"$work/answered-ids")" = "$created" ] || fail "$created uploads were answered 201 but $(wc -l <"$work/answered-ids") distinct ids were read from the answers"
[ "$lost" = 0 ] || fail "$lost uploads answered 201 are not in the database"
# wrk stops with requests on the wire; the server may still store them, but no more than that.
[ "$stored" -ge "$created" ] && [ "$stored" -le $((created + in_flight)) ] ||
  fail "the database holds $stored uploads of organisation load-test: not between the $created answered 201 and those plus the $in_flight in flight"

pledged=$(awk '$1 == "paid" { print $2 }' "$work/pledges.txt")
[ -n "$pledged" ] || fail "the pledging browser stopped: $(cat "$work/pledges.txt")"
echo "pledges: ${pledged:-0} paid through the simulated checkout on the second instance during the run"

echo "== the operator's ledger check (through the proxy: the sign-in cookie holds on either instance)"
if ledger=$("$node" "$here/browser.js" ledger "$base" "$work/state.json"); then
  echo "$ledger"
else
  echo "$ledger"
  fail "the ledger check reports problems (or did not answer)"
fi
payments=$(python3 -c 'import json, sys; print(json.loads(sys.argv[1])["payments"])' "$ledger" 2>/dev/null || echo "?")
# The demo organisation's seeded pledge is the one payment before the run.
[ "$payments" = "$(( ${pledged:-0} + 1 ))" ] || fail "the ledger records $payments payments, but ${pledged:-0} pledges were paid during the run and one before"

if [ "$failures" -gt 0 ]; then
  echo "$failures check(s) failed"
  exit 1
fi
echo "all checks passed"

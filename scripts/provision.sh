#!/usr/bin/env bash
# Provisions a real Temporal for Arauto from package registries, into .tools/ (git-ignored).
# Re-running skips whatever is already there. Versions are pinned here and nowhere else.
#   .tools/bin/temporal                          Temporal CLI: dev server (SQLite) + Web UI
#   .tools/test-server/bin/temporal-test-server  Java time-skipping test server (wrapper)
set -euo pipefail

TEMPORAL_CLI_VERSIONS=(v1.5.1 v1.5.0 v1.4.1 v1.3.0) # first that builds wins; later tags carry a go.mod `replace`
TEST_SERVER_VERSION=1.38.0                           # io.temporal:temporal-test-server on Maven Central

root="$(cd "$(dirname "$0")/.." && pwd)"
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

provision_cli
provision_test_server

if [ ${#missing[@]} -gt 0 ]; then
  log "could not provision: ${missing[*]}."
  log "Install Go >= 1.23, Java >= 17 and Maven, then run 'npm run provision' again;"
  log "or, with internet access, the Temporal SDK downloads its own servers (see README, Provisioning)."
  # Not fatal: the TypeScript side falls back to the SDK's download and fails there with one clear message.
fi
log "done in $((SECONDS - started)) s"

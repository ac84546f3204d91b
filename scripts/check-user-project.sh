#!/usr/bin/env bash
# The README's promise, checked the way a user meets it: install jgrad, then build and run the
# example project of "Use jgrad in your project" (its pom.xml and Main.java, taken from README.md)
# in a fresh folder outside the checkout, on the class path and again as a JPMS module. Fails if the
# project does not build, does not train (test accuracy below 0.85), falls back to the plain-Java
# kernels, or if Maven warns about filename-based automodules.
#
#   scripts/check-user-project.sh             # about 3-6 minutes, most of it `mvn install`
#   JGRAD_CHECK_KEEP=1 scripts/check-user-project.sh   # keep the work folder to look at
#
# Installs into a private local repository in the work folder, never into ~/.m2 (other checkouts
# on the machine would pick up the jars); ~/.m2/repository, where it exists, is only read, as a
# "tail" repository, so that nothing is downloaded twice.
set -euo pipefail

root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
# shellcheck source=scripts/find-jdk.sh
. "$root/scripts/find-jdk.sh"
jgrad_require_jdk
export JAVA_HOME=$JGRAD_JDK_HOME

work=$(mktemp -d "${TMPDIR:-/tmp}/jgrad-user-project.XXXXXX")
if [ -z "${JGRAD_CHECK_KEEP:-}" ]; then trap 'rm -rf "$work"' EXIT; fi
repo=$work/m2
maven_repo=(-Dmaven.repo.local="$repo")
if [ -d "$HOME/.m2/repository" ]; then maven_repo+=(-Dmaven.repo.local.tail="$HOME/.m2/repository"); fi
mvn() { "$root/mvnw" -B "${maven_repo[@]}" "$@"; }

fail() { echo "check-user-project: FAILED: $*" >&2; exit 1; }
say() { echo "check-user-project: $*" >&2; }

version=$(sed -n 's|^  <version>\(.*\)</version>$|\1|p' "$root/pom.xml" | head -1)
say "installing jgrad $version into $repo"
(cd "$root" && mvn -q install -DskipTests) || fail "mvn install of jgrad failed"
for artifact in jgrad-core jgrad-vision jgrad-monitor jgrad-keras jgrad-onnx jgrad-playground jgrad-cli jgrad-spark; do
  for kind in "" -sources -javadoc; do
    jar=$repo/org/jgrad/$artifact/$version/$artifact-$version$kind.jar
    [ -f "$jar" ] || fail "install did not produce $jar"
  done
done
[ -f "$repo/org/jgrad/jgrad-bom/$version/jgrad-bom-$version.pom" ] || fail "jgrad-bom $version was not installed"

# Each README block marked <!-- user-project: PATH --> becomes that file of the project.
extract() { # $1: destination folder
  awk -v dest="$1" '
    /^<!-- user-project: .* -->$/ { path = $3; next }
    path != "" && /^```/ && !inside { inside = 1; file = dest "/" path; n++; next }
    inside && /^```$/ { inside = 0; path = ""; close(file); next }
    inside { print > file }
  ' "$root/README.md"
}
project=$work/digits
mkdir -p "$project/src/main/java/demo"
extract "$project"
[ -f "$project/pom.xml" ] && [ -f "$project/src/main/java/demo/Main.java" ] \
  || fail "README.md lacks the user-project blocks (pom.xml, src/main/java/demo/Main.java)"
grep -q "<version>$version</version>" "$project/pom.xml" || fail "README's pom.xml does not name jgrad $version"

# Maven's automodule warning, and jgrad's fallback warning, in a build log.
check_log() { # $1: log, $2: what it was
  if grep -i "automodule" "$1" >&2; then fail "$2: Maven warned about automodules (above)"; fi
  if grep "plain-Java kernels" "$1" >&2; then fail "$2: jgrad ran without the Vector API (above)"; fi
  local acc
  acc=$(sed -n 's/^test accuracy \([0-9.]*\) on .*/\1/p' "$1" | tail -1)
  [ -n "$acc" ] || fail "$2: the program printed no test accuracy (log: $1)"
  awk -v a="$acc" 'BEGIN { exit !(a >= 0.85) }' || fail "$2: test accuracy $acc is below 0.85"
  say "$2: test accuracy $acc"
}

say "building the README's project on the class path (mvn compile exec:exec) in $project"
(cd "$project" && mvn compile exec:exec) > "$work/classpath.log" 2>&1 \
  || { tail -40 "$work/classpath.log" >&2; fail "class-path build or run failed"; }
check_log "$work/classpath.log" "class path"

modular=$work/digits-module
cp -r "$project" "$modular"
rm -rf "$modular/target"
cat > "$modular/src/main/java/module-info.java" <<'JAVA'
module demo {
    requires org.jgrad.vision;
}
JAVA
say "building it again as a JPMS module (requires org.jgrad.vision) in $modular"
(cd "$modular" && mvn compile dependency:build-classpath -Dmdep.outputFile=classpath.txt) > "$work/module-build.log" 2>&1 \
  || { tail -40 "$work/module-build.log" >&2; fail "module build failed"; }
(cd "$modular" && "$JAVA_HOME/bin/java" --add-modules jdk.incubator.vector \
  --module-path "target/classes:$(cat classpath.txt)" -m demo/demo.Main) > "$work/module-run.log" 2>&1 \
  || { tail -40 "$work/module-run.log" >&2; fail "running demo/demo.Main on the module path failed"; }
cat "$work/module-build.log" >> "$work/module-run.log"
check_log "$work/module-run.log" "module path"

say "OK: the README's project builds against jgrad $version and trains, on the class path and as a module"

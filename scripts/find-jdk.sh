# shellcheck shell=bash
# shellcheck disable=SC2034  # JGRAD_JDK_* are outputs, read by the scripts that source this file
# Finds a JDK new enough to build and run jgrad. Sourced (not executed) by ./jgrad,
# scripts/test and .ci/run, so that all three agree on which JDK they use.
#
#   jgrad_find_jdk     sets JGRAD_JDK_HOME and JGRAD_JDK_MAJOR and returns 0, or returns 1
#                      with a description of everything it tried in JGRAD_JDK_REPORT.
#   jgrad_require_jdk  jgrad_find_jdk, or print the report and exit 1.
#
# Search order (the first that qualifies wins, except the scan, which takes the newest):
#   1. $JAVA_HOME/bin/java
#   2. java on PATH
#   3. <dir>/*/bin/java for each dir in $JGRAD_JVM_DIRS (colon-separated, default /usr/lib/jvm)
# A candidate qualifies when its major version is >= JGRAD_MIN_JAVA and it is a full JDK
# (has javac: Maven compiles in-process and needs the compiler module).
# Works under `set -euo pipefail` and changes no shell options of the caller.

JGRAD_MIN_JAVA=25

# Prints "<major> <java.home>" for a java binary, or nothing if it does not run.
# Asking the JVM itself (rather than parsing `java -version` text or resolving
# /etc/alternatives symlinks) gives the real home and works for every vendor.
_jgrad_probe_java() {
  local java=$1 props line major="" home=""
  [ -x "$java" ] || return 0
  props=$("$java" -XshowSettings:properties -version 2>&1) || return 0
  # Pure bash (no sed/grep), so a minimal PATH does not break the search.
  while IFS= read -r line; do
    line=${line#"${line%%[![:space:]]*}"}   # strip leading blanks
    case $line in
      "java.specification.version = "*) major=${line#*= } ;;
      "java.home = "*) home=${line#*= } ;;
    esac
  done <<< "$props"
  major=${major#1.}        # Java 8 and older report 1.8 etc.
  major=${major%%[!0-9]*}
  [ -n "$major" ] && [ -n "$home" ] && printf '%s %s\n' "$major" "$home"
  return 0
}

# Describes a candidate for the report, and returns 0 if it qualifies.
# Sets _jgrad_major, _jgrad_home and _jgrad_desc in the caller's scope.
_jgrad_check() {
  local java=$1 probe
  _jgrad_major=0 _jgrad_home=
  if [ ! -e "$java" ]; then
    _jgrad_desc="no $java"
    return 1
  fi
  probe=$(_jgrad_probe_java "$java")
  if [ -z "$probe" ]; then
    _jgrad_desc="does not run"
    return 1
  fi
  _jgrad_major=${probe%% *}
  _jgrad_home=${probe#* }
  if [ "$_jgrad_major" -lt "$JGRAD_MIN_JAVA" ]; then
    _jgrad_desc="Java $_jgrad_major (too old)"
    return 1
  fi
  if [ ! -x "$_jgrad_home/bin/javac" ]; then
    _jgrad_desc="Java $_jgrad_major but no javac in $_jgrad_home (a JRE, not a JDK)"
    return 1
  fi
  _jgrad_desc="Java $_jgrad_major, JDK at $_jgrad_home"
  return 0
}

jgrad_find_jdk() {
  local report="" java dir cand best_major=0 best_home="" scanned="" found_any dirs
  local _jgrad_major _jgrad_home _jgrad_desc   # set by _jgrad_check (bash locals are dynamically scoped)
  JGRAD_JDK_HOME="" JGRAD_JDK_MAJOR=""

  # 1. JAVA_HOME: the user's explicit choice comes first.
  if [ -n "${JAVA_HOME:-}" ]; then
    if _jgrad_check "$JAVA_HOME/bin/java"; then
      JGRAD_JDK_HOME=$_jgrad_home JGRAD_JDK_MAJOR=$_jgrad_major
      return 0
    fi
    report+="  JAVA_HOME=$JAVA_HOME: $_jgrad_desc"$'\n'
  else
    report+="  JAVA_HOME: not set"$'\n'
  fi

  # 2. java on PATH.
  if java=$(command -v java 2>/dev/null) && [ -n "$java" ]; then
    if _jgrad_check "$java"; then
      JGRAD_JDK_HOME=$_jgrad_home JGRAD_JDK_MAJOR=$_jgrad_major
      return 0
    fi
    report+="  java on PATH ($java): $_jgrad_desc"$'\n'
  else
    report+="  java on PATH: none"$'\n'
  fi

  # 3. Installed JDKs (Debian/Ubuntu packages and Temurin's .deb land in /usr/lib/jvm).
  #    Several may be installed side by side; take the newest that qualifies.
  IFS=: read -r -a dirs <<< "${JGRAD_JVM_DIRS:-/usr/lib/jvm}"
  for dir in "${dirs[@]}"; do
    scanned+="${scanned:+, }$dir/*/bin/java"
    found_any=0
    for cand in "$dir"/*/bin/java; do
      [ -e "$cand" ] || continue
      found_any=1
      if _jgrad_check "$cand"; then
        if [ "$_jgrad_major" -gt "$best_major" ]; then
          best_major=$_jgrad_major best_home=$_jgrad_home
        fi
      else
        report+="  $cand: $_jgrad_desc"$'\n'
      fi
    done
    [ "$found_any" = 1 ] || report+="  $dir/*/bin/java: nothing there"$'\n'
  done
  if [ -n "$best_home" ]; then
    JGRAD_JDK_HOME=$best_home JGRAD_JDK_MAJOR=$best_major
    return 0
  fi

  JGRAD_JDK_REPORT="no JDK $JGRAD_MIN_JAVA or newer found. Looked at, in this order:
${report}(scanned: $scanned; set JGRAD_JVM_DIRS to scan other directories)"
  return 1
}

jgrad_require_jdk() {
  if ! jgrad_find_jdk; then
    printf 'jgrad: %s\n' "$JGRAD_JDK_REPORT" >&2
    printf 'jgrad: install a JDK %s+ (e.g. Eclipse Temurin from https://adoptium.net) and set JAVA_HOME to it.\n' \
      "$JGRAD_MIN_JAVA" >&2
    exit 1
  fi
}

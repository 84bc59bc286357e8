#!/usr/bin/env bash
# Recall of the Teardown Guard checks on real, publicly fixed teardown bugs (corpus.tsv): for each
# entry, compiles the named file of the pre-fix release's -sources.jar and of the fixed release's,
# each against its own release and dependencies, with only our checks on, and prints whether a
# check warns inside the named method (pre-fix: it should; fixed: it should not).
# Usage: errorprone-checks/field/corpus.sh [FIELD_DIR] [ID...]   (default /work/field, every entry)
# Needs: JDK 21+ as JAVA_HOME (or TG_JDK), mvn, python3, unzip; the plugin jar
# (mvn -pl errorprone-checks -am package; TG_PLUGIN_JAR names another). javac's output per
# release: FIELD_DIR/corpus/<id>/{pre,fixed}.log.
# Each entry is also checked for being an entry at all: the method must exist in the pre-fix
# sources and its text must differ in the fixed ones ("method" column), else it is reported as
# not checkable and not counted.
set -euo pipefail
field=${1:-/work/field}
shift || true
wanted=" $* "
source "$(cd "$(dirname "$0")" && pwd)/lib.sh"
mkdir -p "$field/corpus"

# Prints the check names (comma-separated) of our warnings in $1's log that fall inside method $3
# of file $2, or "-".
flagged_in_method() {
  local log=$1 file=$2 method=$3 found="" first last line check
  while read -r first last; do
    while IFS=: read -r line check; do
      if (( line >= first && line <= last )); then found="$found,$check"; fi
    done < <(sed -n "s|^$file:\([0-9]*\): warning: \[\([A-Za-z]*\)\].*|\1:\2|p" "$log")
  done < <(python3 "$here/method_lines.py" "$file" "$method")
  found=$(tr ',' '\n' <<< "${found#,}" | grep -E "^($(echo $checks | tr ' ' '|'))$" | sort -u | paste -sd, -)
  echo "${found:--}"
}

# Prints the text of method $2 in file $1 (every declaration of that name).
method_text() {
  local first last
  while read -r first last; do sed -n "${first},${last}p" "$1"; done < <(python3 "$here/method_lines.py" "$1" "$2")
}

printf '%-28s %-34s %-34s %s\n' "# entry" "pre-fix: flagged in method" "fixed: silent in method" "note"
total=0; recalled=0; silent=0
while IFS=$'\t' read -r id pre fixed file method extra link _; do
  [[ -z "$id" || "$id" == \#* ]] && continue
  [[ "$wanted" == "  " || "$wanted" == *" $id "* ]] || continue
  out=$field/corpus/$id
  mkdir -p "$out"
  note=""; declare -A result=()
  for side in pre fixed; do
    gav=${!side}
    src=$(sources "$gav") || { note="$note no sources for $gav;"; continue; }
    [ "$extra" = "-" ] && deps=$gav || deps=$gav,$extra
    cp=$(resolve "$id-$side" "$deps") || { note="$note unresolved $deps;"; continue; }
    if [ ! -f "$src/$file" ]; then
      result[$side]="no file"; continue
    fi
    echo "$src/$file" > "$out/$side.files"
    compile_with_checks "$cp" "$out/$side" "$out/$side.files" || note="$note $side: javac failed ($out/$side.log);"
    grep -q 'An unhandled exception was thrown by the Error Prone' "$out/$side.log" && note="$note $side: A CHECK CRASHED;"
    result[$side]=$(flagged_in_method "$out/$side.log" "$src/$file" "$method")
    method_text "$src/$file" "$method" > "$out/$side.method"
  done
  if [ ! -s "$out/pre.method" ]; then
    note="$note not checkable: no method $method in the pre-fix $file;"
  elif cmp -s "$out/pre.method" "$out/fixed.method"; then
    note="$note not checkable: $method is the same in both releases;"
  else
    total=$((total + 1))
    [ "${result[pre]:--}" != "-" ] && [ "${result[pre]}" != "no file" ] && recalled=$((recalled + 1))
    [[ "${result[fixed]:--}" == "-" || "${result[fixed]}" == "no file" ]] && silent=$((silent + 1))
  fi
  printf '%-28s %-34s %-34s %s\n' "$id" "${result[pre]:-?}" "${result[fixed]:-?}" "${note:-ok}"
  unset result
done < "$here/corpus.tsv"
echo "# recall at the pre-fix releases: $recalled of $total; silent at the fixed releases: $silent of $total" \
  "($(unzip -p "$jar" META-INF/MANIFEST.MF 2>/dev/null | sed -n 's/^Implementation-Version: //p' | tr -d '\r')${TG_PLUGIN_LABEL:+ $TG_PLUGIN_LABEL})"

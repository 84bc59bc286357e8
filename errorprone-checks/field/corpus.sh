#!/usr/bin/env bash
# Recall of the Teardown Guard checks on real, publicly fixed teardown bugs (corpus.tsv): for each
# entry, compiles the named file of the pre-fix release's -sources.jar and of the fixed release's,
# each against its own release and dependencies, with only our checks on, and prints whether a
# check warns inside the named method (pre-fix: it should; fixed: it should not).
# Usage: errorprone-checks/field/corpus.sh [FIELD_DIR] [ID...]   (default /work/field, every entry)
# Needs: JDK 21+ as JAVA_HOME (or TG_JDK), mvn, python3, unzip; the plugin jar
# (mvn -pl errorprone-checks -am package; TG_PLUGIN_JAR names another, TG_PLUGIN_JARS="label=jar ..."
# several, each a column). javac's output: FIELD_DIR/corpus/<id>/<pre|fixed>-<label>.log.
# Each entry is also checked for being an entry at all: the method must exist in the pre-fix
# sources and its text must differ in the fixed ones ("method" column), else it is reported as
# not checkable and not counted.
set -euo pipefail
source "$(cd "$(dirname "$0")" && pwd)/lib.sh" "$@"
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
  found=$(tr ',' '\n' <<< "${found#,}" | grep -E "^${checks_regex:2:-2}$" | sort -u | paste -sd, -)
  echo "${found:--}"
}

# Prints the text of method $2 in file $1 (every declaration of that name).
method_text() {
  local first last
  while read -r first last; do sed -n "${first},${last}p" "$1"; done < <(python3 "$here/method_lines.py" "$1" "$2")
}

header="# entry"
for label in "${labels[@]}"; do header="$header | $label: pre-fix / fixed"; done
echo "$header | note"
declare -A recalled silent
total=0
for label in "${labels[@]}"; do recalled[$label]=0; silent[$label]=0; done
while IFS=$'\t' read -r id pre fixed file method extra link _; do
  [[ -z "$id" || "$id" == \#* ]] && continue
  selected "$id" || continue
  out=$field/corpus/$id
  mkdir -p "$out"
  note=""; declare -A result=()
  rm -f "$out"/*.method
  for side in pre fixed; do
    gav=${!side}
    src=$(sources "$gav") || { note="$note no sources for $gav;"; continue; }
    # "=" as an extra artifact's version: the version of this side's release.
    [ "$extra" = "-" ] && deps=$gav || deps=$gav,${extra//:=/:${gav##*:}}
    cp=$(resolve "$id-$side" "$deps") || { note="$note unresolved $deps;"; continue; }
    if [ ! -f "$src/$file" ]; then
      for label in "${labels[@]}"; do result[$side-$label]="no file"; done
      continue
    fi
    echo "$src/$file" > "$out/$side.files"
    method_text "$src/$file" "$method" > "$out/$side.method"
    for label in "${labels[@]}"; do
      compile_with_checks "$cp" "$out/$side-$label" "$out/$side.files" "$label" \
        || note="$note $side/$label: javac failed ($out/$side-$label.log);"
      grep -q 'An unhandled exception was thrown by the Error Prone' "$out/$side-$label.log" \
        && note="$note $side/$label: A CHECK CRASHED;"
      result[$side-$label]=$(flagged_in_method "$out/$side-$label.log" "$src/$file" "$method")
    done
  done
  checkable=yes
  if [ ! -s "$out/pre.method" ]; then
    note="$note not checkable: no method $method in the pre-fix $file;"; checkable=no
  elif [ -f "$out/fixed.method" ] && cmp -s "$out/pre.method" "$out/fixed.method"; then
    note="$note not checkable: $method is the same in both releases;"; checkable=no
  elif [[ "$note" == *"javac failed"* || "$note" == *"unresolved"* || "$note" == *"no sources"* ]]; then
    checkable=no
  fi
  row="$id"
  for label in "${labels[@]}"; do
    p=${result[pre-$label]:-?} f=${result[fixed-$label]:-?}
    row="$row | $( [[ "$p" == "-" || "$p" == "?" || "$p" == "no file" ]] && echo "not flagged" || echo "flagged ($p)" )"
    row="$row / $( [[ "$f" == "-" || "$f" == "no file" ]] && echo "silent" || echo "flagged ($f)" )"
    if [ "$checkable" = yes ]; then
      [[ "$p" != "-" && "$p" != "?" && "$p" != "no file" ]] && recalled[$label]=$((recalled[$label] + 1))
      [[ "$f" == "-" || "$f" == "no file" ]] && silent[$label]=$((silent[$label] + 1))
    fi
  done
  [ "$checkable" = yes ] && total=$((total + 1))
  echo "$row | ${note:-ok}"
  unset result
done < "$here/corpus.tsv"
for label in "${labels[@]}"; do
  echo "# $label: recall at the pre-fix releases ${recalled[$label]} of $total; silent at the fixed releases ${silent[$label]} of $total"
done

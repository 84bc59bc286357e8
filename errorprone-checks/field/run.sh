#!/usr/bin/env bash
# Field run of the Teardown Guard checks: compiles the main sources of each code base in
# projects.txt (its released -sources.jar) against its own release and dependencies, with javac,
# Error Prone and only our checks, and prints every finding as
#   <jar label> <project> <file>:<line> [<Check>]
# Usage: errorprone-checks/field/run.sh [FIELD_DIR] [PROJECT...]   (default /work/field, every project)
# Needs: JDK 21+ as JAVA_HOME (or TG_JDK), mvn, unzip; the plugin jar (mvn -pl errorprone-checks -am
# package; TG_PLUGIN_JAR names another, TG_PLUGIN_JARS="label=jar ..." several). javac's output:
# FIELD_DIR/out/<project>.<label>.log.
# A file that does not compile against the released jars (an optional dependency the release does
# not name, a generated class the sources jar lacks) is left out and listed, with its first error,
# in FIELD_DIR/out/<project>.excluded; Error Prone analyses nothing while errors remain.
set -euo pipefail
source "$(cd "$(dirname "$0")" && pwd)/lib.sh" "$@"
mkdir -p "$field/out"

grep -v '^#' "$here/projects.txt" | while read -r name artifacts extra exclude; do
  [ -n "$name" ] || continue
  selected "$name" || continue
  [ "$extra" = "-" ] && coordinates=$artifacts || coordinates=$artifacts,$extra
  cp=$(resolve "$name" "$coordinates") || continue
  list=$field/out/$name.files
  : > "$list"
  for gav in ${artifacts//,/ }; do
    src=$(sources "$gav") || continue
    find "$src" -name '*.java' ! -name module-info.java ! -name package-info.java \
      | { [ "${exclude:--}" != "-" ] && grep -vE "$exclude" || cat; } >> "$list"
  done
  : > "$field/out/$name.excluded"
  # With the first jar: leave out every file javac reports an error in, then compile again.
  for pass in 1 2 3 4 5 6; do
    compile_with_checks "$cp" "$field/out/$name.${labels[0]}" "$list" "${labels[0]}" && break
    sed -n 's|^\(/.*\.java\):[0-9]*: error: \(.*\)|\1\t\2|p' "$field/out/$name.${labels[0]}.log" | sort -u -t$'\t' -k1,1 \
      | tee -a "$field/out/$name.excluded" | cut -f1 > "$field/out/$name.bad"
    [ -s "$field/out/$name.bad" ] || { echo "run.sh: $name: javac failed without a file error, see $field/out/$name.${labels[0]}.log" >&2; break; }
    grep -vxFf "$field/out/$name.bad" "$list" > "$list.next" && mv "$list.next" "$list"
  done
  echo "# $name ($artifacts): $(wc -l < "$list") files compiled, $(wc -l < "$field/out/$name.excluded") left out" >&2
  for label in "${labels[@]}"; do
    [ "$label" = "${labels[0]}" ] || compile_with_checks "$cp" "$field/out/$name.$label" "$list" "$label" \
      || echo "run.sh: $name: javac failed with $label, see $field/out/$name.$label.log" >&2
    grep -q 'An unhandled exception was thrown by the Error Prone' "$field/out/$name.$label.log" \
      && echo "run.sh: $name: A CHECK CRASHED with $label, see $field/out/$name.$label.log" >&2
    sed -n "s|^$field/src/[^/]*/||; s|^\(\S*\): warning: \(\[[A-Za-z]*\]\).*|$label $name \1 \2|p" "$field/out/$name.$label.log" \
      | grep -E "$checks_regex" || true
  done
done

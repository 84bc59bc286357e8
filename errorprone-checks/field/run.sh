#!/usr/bin/env bash
# Compiles the sources listed for each project in projects.txt with javac, Error Prone and the
# Teardown Guard checks (and no other check), and prints every finding as
#   <project> <file>:<line> [<Check>]
# Usage: errorprone-checks/field/run.sh [FIELD_DIR]   (default /work/field)
# Needs: JDK 21+ as JAVA_HOME (or TG_JDK), mvn, git; errorprone-checks/target/teardown-guard-errorprone.jar
# (mvn -pl errorprone-checks package). Checkouts missing under FIELD_DIR are cloned at the pinned
# commit. Full javac output per project: FIELD_DIR/out/<project>.log.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
field=${1:-/work/field}
jdk=${TG_JDK:-${JAVA_HOME:?set JAVA_HOME to a JDK 21+}}
jar=$here/../target/teardown-guard-errorprone.jar
[ -f "$jar" ] || { echo "run.sh: build the plugin first: mvn -pl errorprone-checks package" >&2; exit 1; }
mkdir -p "$field/out" "$field/deps"
checks=$(cd "$here/../src/main/java/io/teardownguard/errorprone/bugpatterns" && grep -l '@BugPattern' *.java | sed 's/\.java$//')

# Resolves Maven coordinates (comma-separated g:a:v) to a class path, through a throwaway pom.
resolve() {
  local name=$1 coordinates=$2 dir=$field/deps/$1 deps=""
  mkdir -p "$dir"
  for gav in ${coordinates//,/ }; do
    IFS=: read -r g a v <<< "$gav"
    deps="$deps<dependency><groupId>$g</groupId><artifactId>$a</artifactId><version>$v</version></dependency>"
  done
  echo "<project xmlns=\"http://maven.apache.org/POM/4.0.0\"><modelVersion>4.0.0</modelVersion><groupId>field</groupId><artifactId>$name</artifactId><version>1</version><dependencies>$deps</dependencies></project>" > "$dir/pom.xml"
  (cd "$dir" && JAVA_HOME=$jdk mvn -B -ntp -q -Dstyle.color=never dependency:build-classpath \
    -Dmdep.outputFile="$dir/cp.txt" > "$dir/mvn.log" 2>&1) || { cat "$dir/mvn.log" >&2; exit 1; }
  cat "$dir/cp.txt"
}

errorprone_cp=$(resolve error-prone "com.google.errorprone:error_prone_core:$(sed -n 's:.*<errorprone.version>\(.*\)</errorprone.version>.*:\1:p' "$here/../../pom.xml")")
exports=()
for p in api code comp file main model parser processing tree util; do
  exports+=("-J--add-exports=jdk.compiler/com.sun.tools.javac.$p=ALL-UNNAMED")
done
exports+=("-J--add-opens=jdk.compiler/com.sun.tools.javac.code=ALL-UNNAMED" "-J--add-opens=jdk.compiler/com.sun.tools.javac.comp=ALL-UNNAMED")
plugin="-Xplugin:ErrorProne -XepDisableAllChecks"
for check in $checks; do plugin="$plugin -Xep:$check:WARN"; done

grep -v '^#' "$here/projects.txt" | while read -r name repository commit classpath roots exclude; do
  [ -n "$name" ] || continue
  src=$field/$(basename "$repository" .git)
  if [ ! -d "$src" ]; then
    git clone -q "$repository" "$src" && git -C "$src" checkout -q "$commit"
  fi
  extra=""
  if [[ $classpath == *+out:* ]]; then   # "+out:<project>": that project's classes, compiled above
    extra=$field/out/${classpath##*+out:}
    classpath=${classpath%+out:*}
  fi
  case $classpath in
    pom:*) (cd "$src/${classpath#pom:}" && JAVA_HOME=$jdk mvn -B -ntp -q -Dstyle.color=never \
              dependency:build-classpath -Dmdep.includeScope=compile \
              -Dmdep.outputFile="$field/deps/$name.cp" > "$field/deps/$name.log" 2>&1) \
             || { cat "$field/deps/$name.log" >&2; exit 1; }
           cp=$(cat "$field/deps/$name.cp") ;;
    gav:*) cp=$(resolve "$name" "${classpath#gav:}") ;;
    *) cp="" ;;
  esac
  files=()
  for root in ${roots//,/ }; do
    while IFS= read -r f; do files+=("$f"); done < <(find "$src/$root" -name '*.java' | { [ -n "${exclude:-}" ] && grep -vE "$exclude" || cat; })
  done
  rm -rf "$field/out/$name" && mkdir -p "$field/out/$name"
  if ! "$jdk/bin/javac" "${exports[@]}" -XDcompilePolicy=simple --should-stop=ifError=FLOW \
      -Xmaxwarns 100000 -processorpath "$errorprone_cp:$jar" "$plugin" -cp "$cp${extra:+:$extra}" \
      -d "$field/out/$name" "${files[@]}" > "$field/out/$name.log" 2>&1; then
    echo "run.sh: $name did not compile, see $field/out/$name.log" >&2
  fi
  echo "# $name ($commit): ${#files[@]} files" >&2
  sed -n "s|^$field/||; s|^\(\S*\): warning: \(\[[A-Za-z]*\]\).*|$name \1 \2|p" "$field/out/$name.log" \
    | grep -E "\[($(echo $checks | tr ' ' '|'))\]" || true
done

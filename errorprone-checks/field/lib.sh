# Shared by run.sh, corpus.sh and overhead.sh (sourced, not run): where things are, how a release's
# sources and class path are fetched, and the javac command line that runs only our checks.
# Everything downloaded goes to Maven's local repository (released artifacts only, never a
# snapshot) and to FIELD_DIR; nothing is installed.
# Sourced with the script's arguments: FIELD_DIR (default /work/field), then the names (corpus ids,
# projects) to run, none meaning all.
here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
field=${1:-/work/field}
selection=("${@:2}")
selected() { [ ${#selection[@]} -eq 0 ] || [[ " ${selection[*]} " == *" $1 "* ]]; }
jdk=${TG_JDK:-${JAVA_HOME:?set JAVA_HOME to a JDK 21+}}
# The plugin jars measured: TG_PLUGIN_JARS="label=jar label=jar ..." (e.g. two branches' builds,
# measured in one pass over the same downloads), else TG_PLUGIN_JAR, else this checkout's build.
read -r -a plugin_jars <<< "${TG_PLUGIN_JARS:-plugin=${TG_PLUGIN_JAR:-$here/../target/teardown-guard-errorprone.jar}}"
labels=()
declare -A jar_of checks_of
for entry in "${plugin_jars[@]}"; do
  label=${entry%%=*} path=${entry#*=}
  [ -f "$path" ] || { echo "field: no plugin jar $path; build it: mvn -pl errorprone-checks -am package" >&2; exit 1; }
  labels+=("$label"); jar_of[$label]=$path
  # The checks are the jar's classes that carry @BugPattern, so that each jar runs its own set.
  checks_of[$label]=$(unzip -Z1 "$path" 'io/teardownguard/errorprone/bugpatterns/*.class' \
    | sed -n 's:.*/\([A-Za-z]*\)\.class$:\1:p' | while read -r c; do
        unzip -p "$path" "io/teardownguard/errorprone/bugpatterns/$c.class" | if grep -qa 'BugPattern;'; then echo "$c"; fi
      done | paste -sd' ' -)
  [ -n "${checks_of[$label]}" ] || { echo "field: no @BugPattern class in $path" >&2; exit 1; }
done
jar=${jar_of[${labels[0]}]}
errorprone_version=$(sed -n 's:.*<errorprone.version>\(.*\)</errorprone.version>.*:\1:p' "$here/../../pom.xml")

mvn_q() { JAVA_HOME=$jdk mvn -B -ntp -q -Dstyle.color=never "$@"; }

# Prints the class path of the comma-separated g:a:v list $2 (with their dependencies), resolved
# through a throwaway pom in $field/deps/$1. Optional and provided dependencies of a library are
# not transitive, so a library that needs one to compile lists it itself. Excluded everywhere: the
# three artifacts log4j 1.2.15's pom names that were never published where Maven can fetch them
# (old ZooKeeper releases depend on that log4j); no socket code is in them.
unpublished="<exclusions>"
for ga in javax.jms:jms com.sun.jdmk:jmxtools com.sun.jmx:jmxri; do
  unpublished="$unpublished<exclusion><groupId>${ga%%:*}</groupId><artifactId>${ga##*:}</artifactId></exclusion>"
done
unpublished="$unpublished</exclusions>"
resolve() {
  local name=$1 coordinates=$2 dir=$field/deps/$1 deps="" g a v
  mkdir -p "$dir"
  if [ -f "$dir/cp.txt" ] && [ "$(cat "$dir/coordinates" 2>/dev/null)" = "$coordinates" ]; then
    cat "$dir/cp.txt"; return
  fi
  for gav in ${coordinates//,/ }; do
    IFS=: read -r g a v <<< "$gav"
    deps="$deps<dependency><groupId>$g</groupId><artifactId>$a</artifactId><version>$v</version>$unpublished</dependency>"
  done
  echo "<project xmlns=\"http://maven.apache.org/POM/4.0.0\"><modelVersion>4.0.0</modelVersion><groupId>field</groupId><artifactId>$name</artifactId><version>1</version><dependencies>$deps</dependencies></project>" > "$dir/pom.xml"
  (cd "$dir" && mvn_q dependency:build-classpath -Dmdep.outputFile="$dir/cp.txt" > "$dir/mvn.log" 2>&1) \
    || { echo "field: cannot resolve $coordinates, see $dir/mvn.log" >&2; return 1; }
  echo "$coordinates" > "$dir/coordinates"
  cat "$dir/cp.txt"
}

# Unpacks the -sources.jar of g:a:v $1 into $field/src/<g:a:v> (once) and prints that directory.
sources() {
  local gav=$1 dir=$field/src/$1 g a v
  IFS=: read -r g a v <<< "$gav"
  if [ ! -f "$dir/.unpacked" ]; then
    mvn_q dependency:get -Dartifact="$gav:jar:sources" -Dtransitive=false > /dev/null 2>&1 \
      || { echo "field: no sources jar for $gav" >&2; return 1; }
    rm -rf "$dir" && mkdir -p "$dir"
    (cd "$dir" && unzip -qo "$HOME/.m2/repository/${g//.//}/$a/$v/$a-$v-sources.jar")
    touch "$dir/.unpacked"
  fi
  echo "$dir"
}

exports=()
for p in api code comp file main model parser processing tree util; do
  exports+=("-J--add-exports=jdk.compiler/com.sun.tools.javac.$p=ALL-UNNAMED")
done
exports+=("-J--add-opens=jdk.compiler/com.sun.tools.javac.code=ALL-UNNAMED" "-J--add-opens=jdk.compiler/com.sun.tools.javac.comp=ALL-UNNAMED")
# Matches a warning of any check of any jar measured, e.g. "[AbortiveClose]".
checks_regex="\[($(echo ${checks_of[@]} | tr ' ' '\n' | sort -u | paste -sd'|' -))\]"

# Compiles the files listed in $3 (one per line) against class path $1 into $2 with only the
# checks of plugin jar $4 (a label) on; javac's output goes to $2.log. Returns javac's status.
# -proc:none: the processor path holds only Error Prone and our plugin, and a library's own
# annotation processors are not wanted.
compile_with_checks() {
  local cp=$1 out=$2 list=$3 label=$4 plugin="-Xplugin:ErrorProne -XepDisableAllChecks" check
  for check in ${checks_of[$label]}; do plugin="$plugin -Xep:$check:WARN"; done
  rm -rf "$out" && mkdir -p "$out"
  "$jdk/bin/javac" "${exports[@]}" -XDcompilePolicy=simple --should-stop=ifError=FLOW \
    -Xmaxwarns 100000 -Xmaxerrs 100000 -encoding UTF-8 -proc:none -implicit:none \
    -processorpath "$(resolve error-prone "com.google.errorprone:error_prone_core:$errorprone_version"):${jar_of[$label]}" \
    "$plugin" -cp "$cp" -d "$out" "@$list" > "$out.log" 2>&1
}

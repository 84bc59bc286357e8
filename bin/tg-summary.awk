# Shortens `mvn verify` output for bin/tg test (the whole log stays in a file; bin/tg test -v shows it all).
# Keeps: each module's heading, the surefire/failsafe totals ("Tests run: ...", named by execution),
# a test class that failed with Maven's [ERROR] report of it, what tests say about skips, and the
# build's result. At the end, for each test class that failed, the last lines its tests printed.
# Input has no ANSI codes; color=1 marks failures red and success green (bin/tg sets it on a terminal).
# Variables: logfile (the full log's path), color (0 or 1), keep (lines of output kept per failed class).

function paint(text, code) {
  return color ? "\033[" code "m" text "\033[0m" : text
}

function unprefixed(line) {
  return line !~ /^\[(INFO|WARNING|ERROR|DEBUG)\]/
}

# The last `keep` lines printed since "Running CLASS", in a ring.
function remember(line) {
  ring[seen % keep] = line
  seen++
}

function recall(   i, text, first) {
  first = seen > keep ? seen - keep : 0
  text = ""
  for (i = first; i < seen; i++) {
    text = text ring[i % keep] "\n"
  }
  return text
}

BEGIN {
  keep = keep ? keep : 40
  failures = 0
}

{
  line = $0
}

# [INFO] Building Teardown Guard agent 0.1.0-SNAPSHOT                       [3/6]
/^\[INFO\] Building .*\[[0-9]+\/[0-9]+\]$/ {
  name = line
  sub(/^\[INFO\] Building /, "", name)
  match(name, /\[[0-9]+\/[0-9]+\]$/)
  step = substr(name, RSTART)
  name = substr(name, 1, RSTART - 1)
  sub(/ +$/, "", name)
  sub(/ [^ ]+$/, "", name)
  print step " " name
  following = 0
  next
}

# [INFO] --- maven-surefire-plugin:3.5.4:test (test-on-jdk17) @ teardown-guard-agent ---
/^\[INFO\] --- maven-(surefire|failsafe)-plugin:/ {
  execution = line
  sub(/^\[INFO\] --- maven-/, "", execution)
  plugin = execution
  sub(/-plugin:.*/, "", plugin)
  match(execution, /\([^)]*\)/)
  execution = plugin " " substr(execution, RSTART, RLENGTH)
  following = 0
  next
}

# The Results section repeats each failure: its first line is enough there.
/^\[(INFO|WARNING|ERROR)\] Results:/ {
  results = 1
  following = 0
  next
}

/^\[INFO\] Running / {
  current = line
  sub(/^\[INFO\] Running /, "", current)
  seen = 0
  following = 0
  next
}

# One test class's result: shown only when it failed, its output kept for the end.
/Tests run: [0-9]+, .* -- in / {
  if (line ~ /<<< (FAILURE|ERROR)!/) {
    print paint(line, "31")
    failures++
    failed[failures] = current
    output[failures] = recall()
    following = 1
  } else {
    following = 0
  }
  next
}

# An execution's totals: "[INFO] Tests run: 33, Failures: 0, Errors: 0, Skipped: 0".
/^\[(INFO|WARNING|ERROR)\] Tests run: [0-9]+, / {
  total = line
  sub(/^\[[A-Z]+\] /, "", total)
  text = "  " execution ": " total
  print (line ~ /^\[ERROR\]/ ? paint(text, "31") : text)
  following = 0
  results = 0
  next
}

/^\[INFO\] BUILD SUCCESS/ { print paint("BUILD SUCCESS", "32"); next }
/^\[ERROR\] BUILD FAILURE|^\[INFO\] BUILD FAILURE/ { print paint("BUILD FAILURE", "31"); next }
/^\[INFO\] Total time:/ { sub(/^\[INFO\] /, "", line); print line; next }

# Maven's generic advice after a failure says nothing about this build.
/^\[ERROR\] *$|^\[ERROR\] (To see the full stack trace|Re-run Maven using|For more information about|\[Help 1\]|-> \[Help 1\]|See dump files|After correcting the problems|  mvn <args> -rf)/ {
  following = 0
  next
}

/^\[ERROR\]/ {
  print paint(line, "31")
  following = !results
  next
}

/^\[(INFO|WARNING|DEBUG)\]/ {
  following = 0
  next
}

# Not Maven's: a test's own output, or the text that goes on an [ERROR] (a message, a stack).
{
  if (following) {
    # The frames in the project's own code say where; the JUnit and surefire ones below them do not.
    if (line !~ /^\tat / || line ~ /^\tat io\.teardownguard\./) {
      print line
    }
  } else {
    remember(line)
    if (tolower(line) ~ /skipped/) {
      print "  " line
    }
  }
}

END {
  for (i = 1; i <= failures; i++) {
    if (output[i] != "") {
      print ""
      print paint("--- " failed[i] ": the last lines its tests printed (all of them in " logfile ")", "31")
      printf "%s", output[i]
    }
  }
  if (logfile != "") {
    print "full log: " logfile
  }
}

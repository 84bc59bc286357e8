#!/usr/bin/env bash
# The corpus's search procedure (README.md, "How the entries were found"), run the same way over
# any number of git clones with their full history: prints one candidate commit per line,
#   <repository> <commit> <date> <why> <subject>
# where <why> is "removes" (a commit whose main-source diff removes more setSoLinger(...),
# shutdownInput() or shutdownOutput() lines than it adds) or "message" (a commit message that
# speaks of a connection reset, RST, linger, a half-close, unread or swallowed data). Every
# candidate is then judged by hand (README.md: the candidates and verdicts).
# Usage: errorprone-checks/field/search.sh CLONE...
set -euo pipefail
calls='setSoLinger|shutdownInput\(\)|shutdownOutput\(\)'
words='connection reset|\bRST\b|linger|half.?close|unread|swallow'
main=(-- '*.java' ':!*test*' ':!*Test*' ':!*example*' ':!*demo*')
for clone in "$@"; do
  name=$(basename "$(cd "$clone" && pwd)")
  [ "$name" = repo ] && name=$(basename "$(dirname "$(cd "$clone" && pwd)")") # a mirror's layout
  for commit in $(git -C "$clone" log --format=%h -G "$calls" "${main[@]}"); do
    diff=$(git -C "$clone" show --format= "$commit" "${main[@]}")
    removed=$(grep -cE "^-[^-].*($calls)" <<< "$diff" || true)
    added=$(grep -cE "^\+[^+].*($calls)" <<< "$diff" || true)
    if (( removed > added )); then
      echo "$name $(git -C "$clone" log -1 --format='%h %ad removes %s' --date=short "$commit" | cut -c1-140)"
    fi
  done
  git -C "$clone" log -i -E --grep "$words" --format="$name %h %ad message %s" --date=short | cut -c1-160
done

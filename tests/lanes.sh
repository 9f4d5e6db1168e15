#!/usr/bin/env bash
# `make test`'s lanes side by side (Makefile): the first lane is shown as it runs, the others run
# beside it at a lower priority, each with its output in DIR/<lane>.log. They wait on servers
# much of the time, so together they use the cores the first lane leaves idle, without slowing
# it down. Exits non-zero if any lane failed, naming each and showing its output.
#
#   tests/lanes.sh DIR NAME=COMMAND [NAME[:NICENESS]=COMMAND ...]
set -u
dir=$1
shift
mkdir -p "$dir"
start_epoch=$(date +%s)
names=() pids=()
first_name=${1%%=*} first_command=${1#*=}
shift
# A lane's command, followed by the processor time it and every process it waited for used
# (bash's `times`: servers, browsers and workers the tests started and stopped included; a
# server outside the lane, such as PostgreSQL, not), written to DIR/<lane>.cpu.
timed() {
  printf '%s; rc=$?; times >%q; exit $rc' "$1" "$dir/$2.cpu"
}
# "NAME W s C CPU-s": when a lane ended (its .cpu file is written as it ends; every lane starts
# at once) and the processor time `timed` recorded for it
spent() {
  local file="$dir/$1.cpu"
  [ -s "$file" ] || { echo "$1 (no time recorded)"; return; }
  tail -n 1 "$file" | awk -v name="$1" -v wall=$(($(stat -c %Y "$file") - start_epoch)) '{
    total = 0
    for (i = 1; i <= 2; i++) { split($i, t, "m"); sub("s", "", t[2]); total += t[1] * 60 + t[2] }
    printf "%s %d s %.0f CPU-s", name, wall, total }'
}
# Each lane in a session of its own, so that stopping `make test` stops every lane with all its
# processes (servers, workers, browsers), not only the shell that started it.
stop_lanes() {
  for pid in "${pids[@]}"; do kill -TERM -- "-$pid" 2>/dev/null; done
}
trap 'stop_lanes; echo "make test stopped: lanes ended" >&2; exit 130' INT TERM
for lane in "$@"; do
  name=${lane%%=*} niceness=5
  # NAME:N=COMMAND runs the lane at niceness N (0: the first lane's priority)
  case $name in *:*) niceness=${name#*:} name=${name%%:*} ;; esac
  nice -n "$niceness" setsid bash -c "$(timed "${lane#*=}" "$name")" >"$dir/$name.log" 2>&1 &
  names+=("$name") pids+=($!)
  echo "lane $name: started beside the $first_name lane, output in $dir/$name.log"
done
failed=()
bash -c "$(timed "$first_command" "$first_name")" 2>&1 | tee "$dir/$first_name.log"
[ "${PIPESTATUS[0]}" -eq 0 ] || failed+=("$first_name")
for index in "${!names[@]}"; do
  name=${names[$index]}
  if wait "${pids[$index]}"; then
    echo "lane $name: passed: $(tail -n 1 "$dir/$name.log")"
  else
    failed+=("$name")
    echo "===== lane $name FAILED; its output ($dir/$name.log): ====="
    cat "$dir/$name.log"
  fi
done
echo "all lanes ended after $(($(date +%s) - start_epoch)) s"
by_lane=()
for name in "$first_name" "${names[@]}"; do by_lane+=("$(spent "$name")"); done
(IFS=';'; echo "lanes (ended after, processor time): ${by_lane[*]}" | sed 's/;/; /g')
if [ ${#failed[@]} -gt 0 ]; then
  echo "make test FAILED in: ${failed[*]} (outputs in $dir/)" >&2
  exit 1
fi
echo "make test: every lane passed (${first_name} ${names[*]})"

#!/usr/bin/env bash
# One Markdown table row per fuzz log (in fuzz/logs/, or the directory given): the
# figures FUZZING.md records.
# Coverage at 1/4, 1/2 and the end of the run shows whether it had reached a plateau.
here=$(cd "$(dirname "$0")" && pwd)
echo "| target | time | executions | exec/s | coverage (edges) at ¼ / ½ / end | features | corpus | crashes, timeouts, OOMs |"
echo "|---|---|---|---|---|---|---|---|"
for log in "${1:-$here/logs}"/*.log; do
    t=$(basename "$log" .log)
    lines=$(grep '^#[0-9]' "$log")
    [ -n "$lines" ] || continue
    n=$(echo "$lines" | wc -l)
    at() { echo "$lines" | sed -n "${1}p" | sed -E 's/.*cov: ([0-9]+).*/\1/'; }
    last=$(echo "$lines" | tail -1)
    execs=$(echo "$last" | sed -E 's/^#([0-9]+):.*/\1/')
    secs=$(echo "$last" | sed -E 's/.*time: ([0-9]+)s.*/\1/')
    ft=$(echo "$last" | sed -E 's/.*ft: ([0-9]+).*/\1/')
    corp=$(echo "$last" | sed -E "s/.*corp: ([0-9]+).*/\1/")
    bad=$(echo "$last" | sed -E 's/.*crash: ([0-9]+)\/([0-9]+)\/([0-9]+).*/\3, \2, \1/')
    echo "| \`$t\` | ${secs} s | $execs | $((execs / (secs > 0 ? secs : 1))) | $(at $((n / 4 > 0 ? n / 4 : 1))) / $(at $((n / 2 > 0 ? n / 2 : 1))) / $(at "$n") | $ft | $corp | $bad |"
done

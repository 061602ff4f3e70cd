#!/bin/sh
# The rate counters' table truncated under running workers (docs/benchmarks.md, counters2):
# gunicorn (2 sync workers) on bench/counter_storm_app.py (one count a request), wrk c=8 for
# 20 s, and `: > table` every 50 ms meanwhile; then the workers killed by SIGBUS are counted.
#     bench/counter_storm.sh SRC PORT        (SRC: the src directory to test)
set -u
SRC=$1; PORT=$2; DIR=$(mktemp -d); CACHE=$DIR/cache; mkdir "$CACHE"
BENCH=$(cd "$(dirname "$0")" && pwd); VENV=${VENV:-/work/main/.venv}
STORM_CACHE=$CACHE PYTHONPATH=$SRC:$BENCH setsid nohup "$VENV/bin/gunicorn" counter_storm_app \
  --workers 2 --bind "127.0.0.1:$PORT" > "$DIR/gunicorn.log" 2>&1 &
MASTER=$!
sleep 3
curl -s "127.0.0.1:$PORT/" > /dev/null
wrk -t2 -c8 -d20s "http://127.0.0.1:$PORT/" > "$DIR/wrk.txt" &
WRK=$!
n=0; end=$(( $(date +%s) + 19 ))
while [ "$(date +%s)" -lt "$end" ]; do : > "$CACHE/counters-131072x16.table"; n=$((n+1)); sleep 0.05; done
wait $WRK
kill -- -$MASTER
echo "truncations: $n; load: $(cut -d' ' -f1-3 /proc/loadavg)"
grep -E "requests in|Requests/sec|Socket errors" "$DIR/wrk.txt"
echo "workers killed by SIGBUS: $(grep -c 'was sent SIGBUS' "$DIR/gunicorn.log")"
echo "table size after: $(stat -c %s "$CACHE/counters-131072x16.table")"

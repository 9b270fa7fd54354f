#!/bin/bash
# usage: steady-put-flip.sh <label>: a fresh `statusreg dev` of this checkout (as built; no rebuild;
# TOP=<dir> for another build) on port 18081, one 2-bit list of 1M entries with 1,000 allocated
# indexes, a steady-state single-PUT load with wrk (SUSPENDED on even passes over the indexes, VALID
# on odd ones: every request changes its entry) after 30 s of unrecorded load (JIT), then the server
# stopped by its PID. Scratch in /tmp/ab-<label>. Needs wrk, curl and python3. (From
# ../2026-12-02-ack/steady-put.sh, which PUT INVALID on a 1-bit list: after the first pass its
# requests changed nothing.)
top=${TOP:-$(cd "$(dirname "$0")/../../.." && pwd)}
L=$1; D=/tmp/ab-$L; rm -rf $D; mkdir -p $D; cd $D
(STATUSREG_SKIP_BUILD=1 nohup "$top/statusreg" dev --data-dir $D/data --port 18081 > dev.log 2>&1 & echo $! > pid)
for i in $(seq 90); do [ -f data/http-url ] && curl -sf $(cat data/http-url)/health/ready >/dev/null && break; sleep 2; done
TOKEN=$(cat data/dev-token); BASE=$(cat data/http-url)
LIST=$(curl -s -X POST $BASE/issuers/demo/lists -H "Authorization: Bearer $TOKEN" -H 'Content-Type: application/json' -d '{"bits":2,"size":1048576}' | python3 -c "import sys,json; d=json.load(sys.stdin); print(d['id'])")
A=$(curl -s -X POST $BASE/issuers/demo/lists/$LIST/allocations -H "Authorization: Bearer $TOKEN" -H 'Content-Type: application/json' -d '{"count":1000}')
echo "$A" | python3 -c "import sys,json; d=json.load(sys.stdin); print(' '.join(map(str,d['indexes'])))" > idx.txt
cat > put.lua <<LUA
local idx = {}
for w in io.open("$D/idx.txt"):read("*a"):gmatch("%d+") do idx[#idx+1]=w end
local n = 0
wrk.method = "PUT"
wrk.headers["Authorization"] = "Bearer $TOKEN"
wrk.headers["Content-Type"] = "application/json"
local bodies = { '{"status":"SUSPENDED"}', '{"status":"VALID"}' }
request = function()
  local pass = math.floor(n / #idx) % 2
  local i = idx[(n % #idx) + 1]
  n = n + 1
  return wrk.format(nil, "/issuers/demo/lists/$LIST/entries/" .. i, nil, bodies[pass + 1])
end
LUA
for r in warm1 warm2 warm3; do wrk -t1 -c64 -d10s -s put.lua $BASE > $r.txt 2>&1; done
# statusreg execs java, so pid is the server's; /proc/<pid>/stat counts CPU in clock ticks
hz=$(getconf CLK_TCK)
cpu(){ awk '{print $14+$15}' /proc/$(cat pid)/stat; }
for r in 1 2; do c0=$(cpu); wrk -t1 -c64 -d10s -s put.lua --latency $BASE > m64-$r.txt 2>&1; c1=$(cpu)
 n=$(grep "requests in" m64-$r.txt | awk '{print $1}')
 echo "$L c64 r$r: $(grep Requests/sec m64-$r.txt | awk '{print $2}') req/s p50 $(grep ' 50%' m64-$r.txt | awk '{print $2}') p99 $(grep ' 99%' m64-$r.txt | awk '{print $2}') cpu_ms/req $(python3 -c "print(round(($c1-$c0)*1000/$hz/$n,2))")"
done
wrk -t1 -c1 -d8s -s put.lua --latency $BASE > m1.txt 2>&1
echo "$L c1: $(grep Requests/sec m1.txt | awk '{print $2}') req/s p50 $(grep ' 50%' m1.txt | awk '{print $2}') p99 $(grep ' 99%' m1.txt | awk '{print $2}')"
grep "Non-2xx" m64-*.txt m1.txt warm*.txt; curl -s -H "Authorization: Bearer $TOKEN" $BASE/issuers/demo/lists/$LIST | head -c 600; echo 
kill $(cat pid); sleep 3

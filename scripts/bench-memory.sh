#!/usr/bin/env bash
# Resident memory of `serve` with the default fixtures vs with 1,000,000 synthetic customers, after
# the same workload (each customer: login page, consent to everything, token, 은행-001, 은행-004).
# Usage: bash scripts/bench-memory.sh [customers-per-run, default 300]
# Prints VmRSS/VmHWM of both servers and the ratio; writes target/bench-memory.json.
set -euo pipefail
cd "$(dirname "$0")/.."
N=${1:-300}
cargo build --release -q
BIN=target/release/mydata-testbed

workload() { # port mode
  python3 - "$1" "$2" "$N" <<'PY'
import base64, http.client, json, random, re, sys, urllib.parse, datetime
port, mode, n = int(sys.argv[1]), sys.argv[2], int(sys.argv[3])
def call(method, path, headers=None, body=None):
    c = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
    c.request(method, path, body, headers or {})
    r = c.getresponse(); data = r.read(); c.close()
    return r.status, {k.lower(): v for k, v in r.getheaders()}, data
serial = 0
def tran():
    global serial; serial += 1
    return "TBAPP00001M%014d" % serial
if mode == "fixtures":
    people = [(c["id"], c["ci"]) for c in json.load(open("fixtures/customers.json"))]
    who = [people[i % len(people)] for i in range(n)]
else:
    rng = random.Random(1)
    def ci(i):
        plain = ("MYDATA-TESTBED-SYNTHETIC/1/%d/" % i).ljust(66, ".")
        return base64.b64encode(plain.encode()).decode()
    who = [("S%07d" % i, ci(i)) for i in (rng.randint(1, 1_000_000) for _ in range(n))]
today = datetime.date.today()
ok = 0
for cid, ci in who:
    q = urllib.parse.urlencode({"org_code": "TBBANK0001", "response_type": "code", "client_id": "tbdemoapp",
        "redirect_uri": "http://localhost:8080/callback", "app_scheme": "tbdemo://mydata", "state": "s"})
    st, h, _ = call("GET", "/oauth/2.0/authorize?" + q, {"x-user-ci": ci, "x-api-tran-id": tran()})
    rid = h["location"].split("request_id=")[1]
    form = {"content-type": "application/x-www-form-urlencoded"}
    st, h, page = call("POST", "/oauth/2.0/login", form, urllib.parse.urlencode({"request_id": rid, "customer_id": cid, "action": "login"}))
    if st != 200:
        continue  # not a customer of the bank
    assets = re.findall(r'name="asset" id="asset-\d+" value="([^"]+)"', page.decode())
    body = urllib.parse.urlencode([("request_id", rid), ("customer_id", cid), ("action", "consent")] + [("asset", a) for a in assets])
    st, h, _ = call("POST", "/oauth/2.0/consent", form, body)
    code = urllib.parse.parse_qs(urllib.parse.urlparse(h["location"]).query)["code"][0]
    st, h, tok = call("POST", "/oauth/2.0/token", dict(form, **{"x-api-tran-id": tran()}), urllib.parse.urlencode({"org_code": "TBBANK0001",
        "grant_type": "authorization_code", "code": code, "client_id": "tbdemoapp", "client_secret": "tbdemosecret0001",
        "redirect_uri": "http://localhost:8080/callback"}))
    auth = {"authorization": "Bearer " + json.loads(tok)["access_token"], "x-api-type": "user-consent"}
    st, h, lst = call("GET", "/v1/bank/accounts?org_code=TBBANK0001&limit=100", dict(auth, **{"x-api-tran-id": tran()}))
    assert json.loads(lst)["rsp_code"] == "00000", lst
    deposits = [a["account_num"] for a in json.loads(lst)["account_list"] if a["account_type"].startswith("1") and a["is_consent"] == "true"]
    if deposits:
        b = json.dumps({"org_code": "TBBANK0001", "account_num": deposits[0], "limit": "100",
                        "from_date": (today - datetime.timedelta(days=364)).strftime("%Y%m%d"), "to_date": today.strftime("%Y%m%d")})
        st, h, tx = call("POST", "/v1/bank/accounts/deposit/transactions", dict(auth, **{"x-api-tran-id": tran(), "content-type": "application/json"}), b)
        assert json.loads(tx)["rsp_code"] in ("00000", "40402"), tx
    ok += 1
print(ok)
PY
}

measure() { # label port args...
  local label=$1 port=$2; shift 2
  MYDATA_LOG=warn "$BIN" serve --bind 127.0.0.1:$port "$@" &
  local pid=$!
  for _ in $(seq 100); do curl -sf http://127.0.0.1:$port/healthz >/dev/null && break; sleep 0.1; done
  local start=$(grep VmRSS /proc/$pid/status | awk '{print $2}')
  local served=$(workload $port "$label")
  local rss=$(grep VmRSS /proc/$pid/status | awk '{print $2}')
  local hwm=$(grep VmHWM /proc/$pid/status | awk '{print $2}')
  kill -TERM $pid; wait $pid || true
  echo "$label $start $rss $hwm $served"
}

A=$(measure fixtures 18391)
B=$(measure synthetic 18392 --synthetic 1000000 --seed 1)
python3 - "$A" "$B" <<'PY'
import json, sys
rows = [dict(zip(["run", "rss_start_kib", "rss_kib", "hwm_kib", "customers_served"], r.split())) for r in sys.argv[1:]]
for r in rows:
    print("%-10s start %6s KiB   after workload %6s KiB   peak %6s KiB   (%s customers served)" % (r["run"], r["rss_start_kib"], r["rss_kib"], r["hwm_kib"], r["customers_served"]))
ratio = int(rows[1]["rss_kib"]) / int(rows[0]["rss_kib"])
peak = int(rows[1]["hwm_kib"]) / int(rows[0]["hwm_kib"])
print("synthetic 1,000,000 / default fixtures: resident %.2fx, peak %.2fx" % (ratio, peak))
json.dump({"runs": rows, "rss_ratio": ratio, "peak_ratio": peak}, open("target/bench-memory.json", "w"), indent=2)
PY

#!/usr/bin/env python3
"""Writes a deterministic access log of about SIZE bytes for the benchmark.

Usage: bench-logs-gen.py SHAPE SIZE_MB OUT, SHAPE one of
  json      flat JSON lines, one key order (the gateway shape the fast path started from)
  realistic JSON lines as services write them: a nested object on about 65% of lines
            (`"err":{"message":...}`, request headers, arrays of tags), six key orders,
            escaped quotes, slashes and `\\u` escapes, long browser user agents
  ecs       Elastic Common Schema: nested `http.response.status_code`, `url.path`, ... (read
            with --field, see bench-logs.sh)
  combined  nginx combined log format
  uvicorn   uvicorn access lines
Same seed, same bytes: 80% 200s, 401/403/429 failures with a burst of 401s every few hours,
500 keys, 2,000 client IPs, ids in paths, one malformed line per ~million.
"""
import json
import random
import sys

kind, size_mb, out = sys.argv[1], int(sys.argv[2]), sys.argv[3]
rng = random.Random(20261122)
keys = [f"key_{i:04d}" for i in range(500)]
ips = [f"{rng.choice((198, 203))}.{rng.randrange(256)}.{rng.randrange(256)}.{rng.randrange(1, 255)}" for _ in range(2000)]
paths = ["/v1/orders/{}", "/v1/customers/cus_{:010d}/keys", "/v1/payments", "/api/v1/auth/validate", "/v2/sessions/{}"]
methods = ["GET", "GET", "GET", "POST", "DELETE"]
statuses = [200] * 80 + [401] * 9 + [403] * 4 + [429] * 3 + [404] * 2 + [500] * 2
START = 1_795_305_600  # 2026-11-22T00:00:00Z
target = size_mb * 1_000_000
AGENTS = [
    "python-requests/2.31.0",
    "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Safari/537.36 Edg/131.0.0.0",
    "Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/18.1 Safari/605.1.15",
    "Mozilla/5.0 (iPhone; CPU iPhone OS 18_1 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Mobile/15E148 \"MyApp/4.2 (build 1187)\"",
    "okhttp/4.12.0", "axios/1.7.7", "curl/8.5.0", "Go-http-client/2.0",
]
MESSAGES = {
    401: ["API key expired", "Invalid API key", "Missing credentials: no \"X-API-Key\" header", "Request failed with status code 401"],
    403: ["Key lacks scope \"orders:write\"", "IP 203.0.113.9 not in allowlist", "Acc\u00e8s refus\u00e9"],
    429: ["Rate limit exceeded: 100/min", "Quota exceeded"],
    404: ["No route for path"], 500: ["upstream timed out (110: Connection timed out)"],
}

# Precomputed pools keep the generator fast; the choice sequence stays deterministic.
POOL = 1 << 16
pool = []
for _ in range(POOL):
    p = rng.choice(paths)
    pool.append((rng.choice(methods), p.format(rng.randrange(10**6)) if "{" in p else p,
                 rng.choice(keys), rng.choice(ips), rng.randrange(1, 40000) / 10, rng.choice(AGENTS),
                 rng.randrange(6), rng.randrange(100), f"{rng.getrandbits(64):016x}"))
stat_pool = [rng.choice(statuses) for _ in range(POOL)]
dump = lambda v: json.dumps(v, separators=(",", ":"))


def realistic(ts, m, p, st, k, ip, lat, ua, order, roll, rid):
    """A service's line: fields in one of six orders, nested objects on ~65% of lines."""
    fields = [("ts", ts), ("level", "error" if st >= 400 else "info"), ("method", m),
              ("path", p), ("status", st), ("key_id", k), ("ip", ip), ("latency_ms", lat)]
    if st >= 400:
        fields.append(("err", {"message": MESSAGES[st][roll % len(MESSAGES[st])], "code": st}))
    elif roll < 45:
        fields.append(("req", {"id": rid, "headers": {"user-agent": ua, "accept": "*/*"}}))
    if roll % 3 == 0:
        fields.append(("tags", ["edge", "eu-west-1", {"canary": roll % 2 == 0}]))
    fields.append(("ua", ua))
    fields = fields[order:] + fields[:order]
    line = dump(dict(fields))
    # Some loggers escape every slash (PHP, older Java): valid JSON, and now an escape.
    return line.replace("/", "\\/") if roll % 10 == 0 else line


def ecs(ts, m, p, st, k, ip, lat, ua, order, roll, rid):
    doc = {"@timestamp": ts, "log": {"level": "error" if st >= 400 else "info"},
           "http": {"request": {"method": m, "id": rid}, "response": {"status_code": st}},
           "url": {"path": p}, "client": {"ip": ip}, "user": {"id": k},
           "user_agent": {"original": ua}, "event": {"duration": int(lat * 1e6)}}
    if st >= 400:
        doc["error"] = {"message": MESSAGES[st][roll % len(MESSAGES[st])]}
    return dump(doc)


BROKEN = {"combined": "GET /broken\n", "uvicorn": "INFO:     Application startup complete.\n"}
written, i, buf = 0, 0, []
with open(out, "w") as f:
    while written < target:
        sec = START + i // 80
        m, p, k, ip, lat, ua, order, roll, rid = pool[i % POOL]
        st = stat_pool[(i * 7 + i // POOL) % POOL]
        if (sec // 60) % 240 == 17 and i % 3 == 0:
            st = 401  # a burst of 401s for one minute every four hours
        hh, mm, ss = (sec // 3600) % 24, (sec // 60) % 60, sec % 60
        iso = f"2026-11-22T{hh:02d}:{mm:02d}:{ss:02d}.{i % 1000:03d}Z"
        if i % 1_000_003 == 999_999:
            line = BROKEN.get(kind, '{"ts":"2026-11-22T00:00:00Z","status":40\n')
        elif kind == "json":
            line = (f'{{"ts":"{iso}","method":"{m}","path":"{p}",'
                    f'"status":{st},"key_id":"{k}","ip":"{ip}","latency_ms":{lat},"ua":"python-requests/2.31.0"}}\n')
        elif kind == "realistic":
            line = realistic(iso, m, p, st, k, ip, lat, ua, order, roll, rid) + "\n"
        elif kind == "ecs":
            line = ecs(iso, m, p, st, k, ip, lat, ua, order, roll, rid) + "\n"
        elif kind == "combined":
            line = (f'{ip} - {k} [22/Nov/2026:{hh:02d}:{mm:02d}:{ss:02d} +0000] "{m} {p} HTTP/1.1" {st} 512 '
                    f'"-" "{ua}"\n')
        elif kind == "uvicorn":
            line = f'INFO:     {ip}:{40000 + roll} - "{m} {p} HTTP/1.1" {st} {"OK" if st == 200 else "Error"}\n'
        else:
            sys.exit(f"unknown shape {kind}")
        buf.append(line)
        written += len(line.encode())
        i += 1
        if len(buf) >= 10000:
            f.write("".join(buf))
            buf.clear()
    f.write("".join(buf))

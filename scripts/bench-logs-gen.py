#!/usr/bin/env python3
"""Writes a deterministic access log of about SIZE bytes for the benchmark.

Usage: bench-logs-gen.py json|combined SIZE_MB OUT
Same seed, same bytes: 80% 200s, 401/403/429 failures with a burst of 401s every few hours,
500 keys, 2,000 client IPs, ids in paths, one malformed line per ~million.
"""
import random
import sys

kind, size_mb, out = sys.argv[1], int(sys.argv[2]), sys.argv[3]
rng = random.Random(20261122)
keys = [f"key_{i:04d}" for i in range(500)]
ips = [f"{rng.choice((198, 203))}.{rng.randrange(256)}.{rng.randrange(256)}.{rng.randrange(1, 255)}" for _ in range(2000)]
paths = ["/v1/orders/{}", "/v1/customers/cus_{:010d}/keys", "/v1/payments", "/api/v1/auth/validate", "/v2/sessions/{}"]
methods = ["GET", "GET", "GET", "POST", "DELETE"]
statuses = [200] * 80 + [401] * 9 + [403] * 4 + [429] * 3 + [404] * 2 + [500] * 2
MONTHS = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"]
START = 1_795_305_600  # 2026-11-22T00:00:00Z
target = size_mb * 1_000_000

# Precomputed pools keep the generator fast; the choice sequence stays deterministic.
POOL = 1 << 16
pool = []
for _ in range(POOL):
    p = rng.choice(paths)
    pool.append((rng.choice(methods), p.format(rng.randrange(10**6)) if "{" in p else p,
                 rng.choice(keys), rng.choice(ips), rng.randrange(1, 40000) / 10))
stat_pool = [rng.choice(statuses) for _ in range(POOL)]

written, i, buf = 0, 0, []
with open(out, "w") as f:
    while written < target:
        sec = START + i // 80
        m, p, k, ip, lat = pool[i % POOL]
        st = stat_pool[(i * 7 + i // POOL) % POOL]
        if (sec // 60) % 240 == 17 and i % 3 == 0:
            st = 401  # a burst of 401s for one minute every four hours
        if i % 1_000_003 == 999_999:
            line = '{"ts":"2026-11-22T00:00:00Z","status":40\n' if kind == "json" else "GET /broken\n"
        elif kind == "json":
            hh, mm, ss = (sec // 3600) % 24, (sec // 60) % 60, sec % 60
            line = (f'{{"ts":"2026-11-22T{hh:02d}:{mm:02d}:{ss:02d}.{i % 1000:03d}Z","method":"{m}","path":"{p}",'
                    f'"status":{st},"key_id":"{k}","ip":"{ip}","latency_ms":{lat},"ua":"python-requests/2.31.0"}}\n')
        else:
            hh, mm, ss = (sec // 3600) % 24, (sec // 60) % 60, sec % 60
            line = (f'{ip} - {k} [22/Nov/2026:{hh:02d}:{mm:02d}:{ss:02d} +0000] "{m} {p} HTTP/1.1" {st} 512 '
                    f'"-" "python-requests/2.31.0"\n')
        buf.append(line)
        written += len(line)
        i += 1
        if len(buf) >= 10000:
            f.write("".join(buf))
            buf.clear()
    f.write("".join(buf))

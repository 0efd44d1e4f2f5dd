#!/usr/bin/env python3
"""Plain-Python access-log triage, the reference `authdesk logs --json` is checked against.

Same formats, detection, rules and output as authdesk (without --since/--until/--key):
a typical support team's `diagnose_401.py`, written straightforwardly (json.loads per
line, dicts for tallies). Usage: bench-logs-triage.py FILE... > report.json
"""
import gzip
import json
import re
import sys
from datetime import datetime, timezone

FAILURES = (401, 403, 429)
LATENCY_CAP = 60_000
BANDS = (0.5, 0.7, 0.9)
TOP = 10
SAMPLES = 5
DIGITS = re.compile(rb"[0-9]+")
MONTHS = [b"Jan", b"Feb", b"Mar", b"Apr", b"May", b"Jun", b"Jul", b"Aug", b"Sep", b"Oct", b"Nov", b"Dec"]


def trim(b):
    return b.strip(b" \t\r\n\x0c")


def digits(b):
    return int(b) if DIGITS.fullmatch(b) else None


def days_from_civil(y, m, d):
    y = y - 1 if m <= 2 else y
    era = y // 400
    yoe = y - era * 400
    mp = (m + 9) % 12
    doy = (153 * mp + 2) // 5 + d - 1
    doe = yoe * 365 + yoe // 4 - yoe // 100 + doy
    return era * 146097 + doe - 719468


def epoch(y, mo, d, h, mi, s):
    if None in (y, mo, d, h, mi, s):
        return None
    if not (1 <= mo <= 12 and 1 <= d <= 31 and h < 24 and mi < 60 and s <= 60):
        return None
    return days_from_civil(y, mo, d) * 86400 + h * 3600 + mi * 60 + s


def offset(b):
    if b[:1] not in (b"+", b"-"):
        return None
    sign = 1 if b[:1] == b"+" else -1
    if len(b) == 5:
        h, m = b[1:3], b[3:5]
    elif len(b) == 6 and b[3:4] == b":":
        h, m = b[1:3], b[4:6]
    else:
        return None
    h, m = digits(h), digits(m)
    return None if h is None or m is None else sign * (h * 3600 + m * 60)


def iso_time(b):
    if len(b) < 19 or b[4:5] != b"-" or b[7:8] != b"-" or b[10:11] not in (b"T", b" "):
        return None
    if b[13:14] != b":" or b[16:17] != b":":
        return None
    t = epoch(digits(b[0:4]), digits(b[5:7]), digits(b[8:10]), digits(b[11:13]), digits(b[14:16]), digits(b[17:19]))
    if t is None:
        return None
    rest = b[19:]
    if rest[:1] == b".":
        m = re.match(rb"[0-9]*", rest[1:])
        if not m.group(0):
            return None
        rest = rest[1 + len(m.group(0)):]
    if rest in (b"", b"Z", b"z"):
        return t
    off = offset(rest)
    return None if off is None else t - off


def clf_time(b):
    if len(b) != 26 or b[2:3] != b"/" or b[6:7] != b"/" or b[11:12] != b":" or b[20:21] != b" ":
        return None
    if b[3:6] not in MONTHS:
        return None
    t = epoch(digits(b[7:11]), MONTHS.index(b[3:6]) + 1, digits(b[0:2]), digits(b[12:14]), digits(b[15:17]), digits(b[18:20]))
    off = offset(b[21:]) if t is not None else None
    return None if off is None else t - off


def text(b):
    try:
        return b.decode("utf-8")
    except UnicodeDecodeError:
        return None


def status3(b):
    d = b[:3]
    if len(d) < 3 or not DIGITS.fullmatch(d) or d[:1] == b"0":
        return None
    return int(d)


def request_and_rest(rest):
    close = rest.find(b'"')
    if close < 0:
        return None
    words = rest[:close].split(b" ")
    if len(words) == 3 and words[0]:
        return text(words[0]), text(words[1]), rest[close + 1:]
    return None, None, rest[close + 1:]


def parse_clf(line):
    sp = line.find(b" ")
    if sp < 0:
        return None
    ip, rest = line[:sp], line[sp + 1:]
    sp = rest.find(b" ")
    if sp < 0:
        return None
    rest = rest[sp + 1:]
    sp = rest.find(b" ")
    if sp < 0:
        return None
    user, rest = rest[:sp], rest[sp + 1:]
    if rest[:1] != b"[":
        return None
    rest = rest[1:]
    close = rest.find(b"]")
    if close < 0:
        return None
    ts = clf_time(rest[:close])
    if ts is None:
        return None
    rest = rest[close + 1:]
    if rest[:2] != b' "':
        return None
    r = request_and_rest(rest[2:])
    if r is None:
        return None
    method, path, rest = r
    if rest[:1] != b" ":
        return None
    rest = rest[1:]
    status = status3(rest)
    if status is None or not (rest[3:] == b"" or rest[3:4] == b" "):
        return None
    key = text(user) if user != b"-" else None
    return (status, key, text(ip), path, ts, None)


def parse_uvicorn(line):
    rest = line
    colon = rest.find(b":")
    if colon > 0 and re.fullmatch(rb"[A-Z]+", rest[:colon]):
        rest = trim(rest[colon + 1:])
    sp = rest.find(b" ")
    if sp < 0:
        return None
    addr = rest[:sp]
    colon = addr.rfind(b":")
    if colon < 0 or not DIGITS.fullmatch(addr[colon + 1:]):
        return None
    rest = rest[sp:]
    if rest[:4] != b' - "':
        return None
    r = request_and_rest(rest[4:])
    if r is None:
        return None
    method, path, rest = r
    if rest[:1] != b" ":
        return None
    rest = rest[1:]
    status = status3(rest)
    if status is None or not (len(rest) == 3 or rest[3:4] == b" "):
        return None
    return (status, None, text(addr[:colon]), path, None, None)


def is_num(v):
    return isinstance(v, (int, float)) and not isinstance(v, bool)


NAMES = {"status": "status", "key": "key_id", "ip": "ip", "path": "path", "ts": "ts", "latency": "latency_ms",
         "customer": "customer_id"}
# Whether the latency field measures authentication alone (`--field auth_latency=NAME`).
LATENCY_IS_AUTH = False


def field(obj, name):
    if name in obj or "." not in name:
        return obj.get(name)
    for part in name.split("."):
        if not isinstance(obj, dict):
            return None
        obj = obj.get(part)
    return obj


def parse_json(line):
    try:
        obj = json.loads(line)
    except ValueError:
        return None
    if not isinstance(obj, dict):
        return None
    st = field(obj, NAMES["status"])
    if is_num(st) and float(st).is_integer() and 100 <= st < 1000:
        status = int(st)
    elif isinstance(st, str) and status3(st.encode()) is not None and len(st) == 3:
        status = int(st)
    else:
        return None
    s = lambda k: field(obj, NAMES[k]) if isinstance(field(obj, NAMES[k]), str) else None
    ts = field(obj, NAMES["ts"])
    if isinstance(ts, str):
        ts = iso_time(ts.encode())
    elif is_num(ts) and abs(ts) < 1e15:
        ts = int((ts / 1000.0) // 1) if ts >= 1e11 else int(float(ts) // 1)
    else:
        ts = None
    lat = field(obj, NAMES["latency"])
    lat = float(lat) if is_num(lat) and lat >= 0 else None
    return (status, s("key"), s("ip"), s("path"), ts, lat, s("customer"))


PARSERS = {"json_lines": parse_json, "clf": parse_clf, "uvicorn": parse_uvicorn}


def is_id(seg):
    b = seg.encode()
    if not b:
        return False
    if DIGITS.fullmatch(b):
        return True
    if len(b) >= 16 and re.fullmatch(rb"[0-9a-fA-F-]+", b):
        return True
    return len(b) >= 10 and re.search(rb"[0-9]", b) is not None and re.fullmatch(rb"[A-Za-z0-9_-]+", b) is not None


def template(path):
    path = path.split("?")[0].split("#")[0]
    return "/".join("{id}" if is_id(s) else s for s in path.split("/"))


def opener(path):
    with open(path, "rb") as f:
        magic = f.read(2)
    return gzip.open(path, "rb") if magic == b"\x1f\x8b" else open(path, "rb", buffering=1 << 20)


def detect(path):
    sample = []
    with opener(path) as f:
        for raw in f:
            t = trim(raw)
            if t:
                sample.append(t)
                if len(sample) == 20:
                    break
    best, n = "json_lines", 0
    for name in ("json_lines", "clf", "uvicorn"):
        k = sum(1 for l in sample if PARSERS[name](l) is not None)
        if k > n:
            best, n = name, k
    return best


def main(paths):
    by_status, fail = {}, {s: [0, {}, {}, {}, {}] for s in FAILURES}
    per_minute, latency, samples = {}, {}, []
    lines = requests = malformed = 0
    first = last = None
    files = []
    for path in paths:
        fmt = detect(path)
        files.append({"path": path, "format": fmt})
        parse = PARSERS[fmt]
        with opener(path) as f:
            for n, raw in enumerate(f, 1):
                line = trim(raw)
                if not line:
                    continue
                lines += 1
                r = parse(line)
                if r is None:
                    malformed += 1
                    if len(samples) < SAMPLES:
                        samples.append({"file": path, "line": n, "text": line.decode("utf-8", "replace")[:200]})
                    continue
                status, key, ip, p, ts, lat, customer = (tuple(r) + (None,))[:7]
                requests += 1
                by_status[status] = by_status.get(status, 0) + 1
                if ts is not None:
                    first = ts if first is None else min(first, ts)
                    last = ts if last is None else max(last, ts)
                if lat is not None:
                    b = min(int(lat), LATENCY_CAP)
                    latency[b] = latency.get(b, 0) + 1
                if status in fail:
                    if ts is not None:
                        per_minute[ts // 60] = per_minute.get(ts // 60, 0) + 1
                    t = fail[status]
                    t[0] += 1
                    for i, v in ((1, key), (2, ip), (3, template(p) if p is not None else None), (4, customer)):
                        if v is not None:
                            t[i][v] = t[i].get(v, 0) + 1
    rate = lambda s: by_status.get(s, 0) / requests if requests else 0.0
    r401 = rate(401)
    band = "normal" if r401 < BANDS[0] else "watch" if r401 < BANDS[1] else "investigate" if r401 < BANDS[2] else "critical"
    top = lambda m: [[k, c] for k, c in sorted(m.items(), key=lambda kv: (-kv[1], kv[0]))[:TOP]]
    counts = sorted(per_minute.values())
    median = counts[(len(counts) - 1) // 2] if counts else 0
    fmt_min = lambda m: datetime.fromtimestamp(m * 60, timezone.utc).strftime("%Y-%m-%dT%H:%MZ")
    fmt_ts = lambda t: datetime.fromtimestamp(t, timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ")
    minutes = [{"minute": fmt_min(m), "failures": c, "spike": c >= 10 and c > 3 * median} for m, c in sorted(per_minute.items())]
    lat = None
    total = sum(latency.values())
    if total:
        buckets = sorted(latency.items())
        def at(pct):
            rank, seen = max((total * pct + 99) // 100, 1), 0
            for b, c in buckets:
                seen += c
                if seen >= rank:
                    return b
        mean = sum(b * c for b, c in buckets) / total
        lat = {"count": total, "mean": mean, "p50": at(50), "p90": at(90), "p99": at(99)}
    report = {
        "files": files, "lines": lines, "requests": requests, "malformed": malformed, "filtered": 0,
        "by_status": {str(k): v for k, v in sorted(by_status.items())},
        "rate_401": r401, "rate_403": rate(403), "rate_429": rate(429), "band_401": band,
        "failures": {str(s): {"count": t[0], "top_keys": top(t[1]), "top_ips": top(t[2]), "top_paths": top(t[3])} for s, t in fail.items()},
        "keys_failing": len(set(fail[401][1]) | set(fail[403][1])),
        "customers_failing": len(set(fail[401][4]) | set(fail[403][4])),
        "ips_failing": len(set(fail[401][2]) | set(fail[403][2])),
        "latency_is_auth": LATENCY_IS_AUTH,
        "per_minute": minutes, "spike": any(m["spike"] for m in minutes), "latency_ms": lat,
        "first_ts": fmt_ts(first) if first is not None else None,
        "last_ts": fmt_ts(last) if last is not None else None,
        "malformed_samples": samples, "unreadable": [],
    }
    num = lambda v: {"type": "number", "value": float(v)}
    facts = {}
    if requests:
        facts = {"logs.band_401": {"type": "text", "value": band}, "logs.keys_failing": num(report["keys_failing"]),
                 "logs.rate_401": num(r401), "logs.rate_403": num(rate(403)), "logs.rate_429": num(rate(429)),
                 "logs.spike": {"type": "bool", "value": report["spike"]},
                 "logs.ips_failing": num(report["ips_failing"])}
        # No customer field in the logs is "unknown", not "no customers".
        if report["customers_failing"]:
            facts["logs.customers_failing"] = num(report["customers_failing"])
        if lat and LATENCY_IS_AUTH:
            facts["logs.auth_latency_p99_ms"] = num(lat["p99"])
            facts["logs.auth_latency_avg_ms"] = num(lat["mean"])
    report["facts"] = facts
    json.dump(report, sys.stdout)


if __name__ == "__main__":
    args = sys.argv[1:]
    while len(args) >= 2 and args[0] == "--field":
        k, v = args[1].split("=", 1)
        if k == "auth_latency":
            k, LATENCY_IS_AUTH = "latency", True
        NAMES[k] = v
        args = args[2:]
    main(args)

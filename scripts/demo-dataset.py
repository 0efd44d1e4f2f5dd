#!/usr/bin/env python3
# Writes assets/demo/dataset.json, the demo admin API's data set. Edit this, then run it:
# the JSON is what the binary embeds; this keeps its 20 customers and their stories readable.
import json
C = lambda id, name, cell, plan="growth", status="active", created="now-400d": dict(id=id, name=name, status=status, plan=plan, cell=cell, created_at=created)
customers = [
  C("cus_1001","Northwind Books","eu-1"),
  C("cus_1002","Bluebird Health","eu-1","enterprise"),
  C("cus_1003","Harbor Freight Co","us-1"),
  C("cus_1004","Quartz Analytics","eu-1","starter"),
  C("cus_1005","Marigold Travel","us-1"),
  C("cus_1006","Pinecone Media","eu-1"),
  C("cus_1007","Lumen Games","us-1","starter"),
  C("cus_1008","Orchard Labs","eu-1","enterprise"),
  C("cus_1009","Vantage Bank","eu-1","enterprise"),
  C("cus_1010","Fjord Energy","eu-3","enterprise"),
  C("cus_1011","Saguaro Retail","us-2"),
  C("cus_1012","Kestrel Logistics","ap-1"),
  C("cus_1013","Tamarind Foods","ap-1","starter"),
  C("cus_1014","Copperleaf Studios","eu-1","starter","suspended"),
  C("cus_1015","Redwood Clinics","eu-1","enterprise"),
  C("cus_1016","Atlas Freightways","us-1","starter"),
  C("cus_1017","Nimbus Weather","eu-1"),
  C("cus_1018","Juniper Schools","us-1"),
  C("cus_1019","Corvid Security","eu-1","enterprise"),
  C("cus_1020","Wayfarer Maps","ap-1"),
]
cells = {
  "eu-1": {"status":"ok","auth_latency_ms":{"p50":11,"p99":38}},
  "us-1": {"status":"ok","auth_latency_ms":{"p50":13,"p99":44}},
  "eu-3": {"status":"down","auth_latency_ms":{"p50":1850,"p99":5000},
           "elevated":[{"customer_id":"cus_1010","failure_rate":0.97,"baseline_rate":0.004}]},
  "us-2": {"status":"degraded","auth_latency_ms":{"p50":61,"p99":240}},
  "ap-1": {"status":"ok","auth_latency_ms":{"p50":14,"p99":52},
           "elevated":[{"customer_id":"cus_1012","failure_rate":0.41,"baseline_rate":0.006},
                       {"customer_id":"cus_1020","failure_rate":0.33,"baseline_rate":0.004},
                       {"customer_id":"cus_1013","failure_rate":0.18,"baseline_rate":0.009}]},
}
routes = [
  ("GET","/v1/orders",["orders:read"]),
  ("GET","/v1/orders/{order_id}",["orders:read"]),
  ("POST","/v1/orders",["orders:write"]),
  ("POST","/v1/refunds",["refunds:write","orders:read"]),
  ("GET","/v1/customers/{customer_id}",["customers:read"]),
  ("POST","/v1/payments",["payments:write"]),
  ("GET","/v1/reports/{report_id}",["reports:read"]),
  ("GET","/v1/shipments/{shipment_id}",["shipments:read"]),
  ("GET","/v1/forecasts",["forecasts:read"]),
]
routes = [dict(method=m, route=r, required_scopes=s) for m,r,s in routes]

def key(id, cus, scopes, status="active", header="X-API-Key", scheme=None, allowed=(), limit=600, window=60,
        quota=(1000000,"month"), created="now-240d", last_used="now-3m", env="live", **extra):
    # The demo's invented secret (only its fingerprint is served): DEMO and the key's name.
    secret = extra.pop("secret", f"sk_{env}_" + ("DEMO" + id.removeprefix("key_") + "0123456789" * 4)[:32])
    k = dict(id=id, secret=secret, customer_id=cus, environment=env, status=status, created_at=created,
             last_used_at=last_used, credential=dict(header=header, scheme=scheme),
             allowed_ips=list(allowed), scopes=scopes, rate_limit=dict(limit=limit, window_s=window),
             quota=(dict(limit=quota[0], period=quota[1]) if quota else None))
    k.update(extra)
    return k

def ev(id, at, actor, action, before=None, after=None):
    e = dict(id=id, at=at, actor=actor, action=action)
    if before is not None: e["before"] = before
    if after is not None: e["after"] = after
    return e

def log(rid, at, method, path, status, ip, reason=None, by="gateway", repeat=1, every=0, ips=None):
    l = dict(at=at, request_id=rid, method=method, path=path, status=status, reason=reason, decided_by=by)
    if ips: l["client_ips"] = ips
    else: l["client_ip"] = ip
    if repeat > 1: l["repeat"] = repeat; l["every_s"] = every
    return l

def ok(rid, at, method, path, ip, repeat=1, every=0):
    return log(rid, at, method, path, 200, ip, None, "upstream", repeat, every)

keys = [
  key("key_nocreds","cus_1001",["orders:read","orders:write"],
      audit=[ev("evt_1001a","now-240d","dev@northwindbooks.example","key.created")],
      logs=[log("req_nc_fail","now-4m","GET","/v1/orders",401,"198.51.100.20","missing_credentials",repeat=40,every=90),
            ok("req_nc_ok","now-2m","GET","/v1/orders","203.0.113.10",repeat=30,every=120)]),
  key("key_badheader","cus_1002",["payments:write","customers:read"],header="Authorization",scheme="Bearer",
      audit=[ev("evt_1002a","now-90d","platform@bluebird.example","key.created")],
      logs=[log("req_bh_fail","now-6m","POST","/v1/payments",401,"192.0.2.44","malformed_credentials",repeat=25,every=300),
            ok("req_bh_ok","now-1d","POST","/v1/payments","192.0.2.44",repeat=5,every=600)]),
  key("key_revoked","cus_1003",["orders:read","shipments:read"],status="revoked",
      secret="sk_live_CANARY0123456789canary0123456789",
      revoked_at="now-2d", revoked_by="ops@authdesk.example",
      revoke_reason="Leaked in a public GitHub repository (secret scanning alert SSA-4471)",
      last_used_at="now-2d",
      audit=[ev("evt_1003b","now-2d","ops@authdesk.example","key.revoked","active","revoked"),
             ev("evt_1003a","now-200d","cto@harborfreight.example","key.created")],
      logs=[log("req_rv_fail","now-3m","GET","/v1/shipments/shp_88211",401,"198.51.100.61","revoked_key",repeat=30,every=600)]),
  key("key_expired","cus_1004",["reports:read"],status="expired",expires_at="now-1d6h",last_used_at="now-1d6h",
      created="now-366d",
      audit=[ev("evt_1004a","now-366d","analyst@quartz.example","key.created",None,{"expires_at":"in 365 days"})],
      logs=[log("req_ex_fail","now-10m","GET","/v1/reports/rep_2026_11",401,"203.0.113.140","expired_key",repeat=20,every=1800)]),
  key("key_disabled","cus_1005",["orders:read"],status="disabled",last_used_at="now-5h",
      audit=[ev("evt_1005c","now-5h","admin@marigold.example","key.disabled","active","disabled"),
             ev("evt_1005b","now-6d","admin@marigold.example","key.rotated"),
             ev("evt_1005a","now-300d","admin@marigold.example","key.created")],
      logs=[log("req_ds_fail","now-7m","GET","/v1/orders",401,"198.51.100.90","invalid_key",repeat=15,every=900)]),
  key("key_oauth","cus_1006",["orders:read","customers:read"],header="Authorization",scheme="Bearer",
      audit=[ev("evt_1006a","now-120d","eng@pinecone.example","key.created")],
      logs=[log("req_oa_fail","now-2m","GET","/v1/customers/cus_77",401,"192.0.2.150","expired_token",repeat=18,every=400),
            ok("req_oa_ok","now-3h","GET","/v1/customers/cus_77","192.0.2.150",repeat=10,every=60)]),
  key("key_burst","cus_1007",["orders:read","orders:write"],limit=50,window=60,rate_used=50,quota=(200000,"month"),quota_used=81234,
      audit=[ev("evt_1007b","now-4d","billing@authdesk.example","rate_limit.changed",{"limit":200,"window_s":60},{"limit":50,"window_s":60}),
             ev("evt_1007a","now-150d","dev@lumengames.example","key.created")],
      logs=[log("req_bu_fail","now-1m","POST","/v1/orders",401,None,"rate_limited",repeat=120,every=10,
                ips=["203.0.113.21","203.0.113.22","203.0.113.23"]),
            ok("req_bu_ok","now-30s","POST","/v1/orders","203.0.113.21",repeat=50,every=1)]),
  key("key_healthy","cus_1008",["reports:read","orders:read"],
      audit=[ev("evt_1008a","now-60d","it@orchardlabs.example","key.created")],
      logs=[log("req_hl_fail","now-5m","GET","/v1/reports/rep_2024",403,"198.51.100.200",None,"upstream",repeat=6,every=600),
            ok("req_hl_ok","now-1m","GET","/v1/orders","198.51.100.200",repeat=40,every=30)]),
  key("key_stuffed","cus_1009",["payments:write","customers:read"],
      audit=[ev("evt_1009a","now-30d","secops@vantagebank.example","key.created")],
      logs=[log("req_st_fail","now-1m","POST","/v1/payments",401,None,"invalid_key",repeat=80,every=20,
                ips=[f"185.220.101.{n}" for n in (4,9,17,23,33,41,52,66,70,81,95,102,117,133)]),
            log("req_st_fmt","now-2m","POST","/v1/payments",401,None,"malformed_credentials",repeat=20,every=45,
                ips=["45.155.205.9","45.155.205.12","45.155.205.87"]),
            ok("req_st_ok","now-30s","POST","/v1/payments","203.0.113.200",repeat=20,every=60)]),
  key("key_eu3","cus_1010",["forecasts:read"],
      audit=[ev("evt_1010a","now-500d","ops@fjordenergy.example","key.created")],
      logs=[log("req_e3_fail","now-1m","GET","/v1/forecasts",401,"192.0.2.210","invalid_key",repeat=45,every=20)]),
  key("key_us2","cus_1011",["orders:read","orders:write"],
      audit=[ev("evt_1011a","now-210d","dev@saguaro.example","key.created")],
      logs=[log("req_u2_fail","now-2m","GET","/v1/orders",401,"198.51.100.150","invalid_key",repeat=9,every=240),
            ok("req_u2_ok","now-1m","GET","/v1/orders","198.51.100.150",repeat=30,every=30)]),
  key("key_ap1","cus_1012",["shipments:read","orders:read"],
      audit=[ev("evt_1012a","now-80d","dev@kestrel.example","key.created")],
      logs=[log("req_a1_fail","now-1m","GET","/v1/shipments/shp_1",401,"203.0.113.90","invalid_key",repeat=35,every=25)]),
  key("key_suspended","cus_1014",["orders:read"],
      audit=[ev("evt_1014a","now-400d","owner@copperleaf.example","key.created")],
      logs=[log("req_su_fail","now-4m","GET","/v1/orders",403,"192.0.2.33",None,"gateway",repeat=22,every=1200)]),
  key("key_iplocked","cus_1015",["customers:read","reports:read"],allowed=["203.0.113.0/24","198.51.100.128/25"],
      audit=[ev("evt_1015b","now-2d","it-admin@redwoodclinics.example","ip_rules.changed",
                ["203.0.113.0/24","198.51.100.0/25"],["203.0.113.0/24","198.51.100.128/25"]),
             ev("evt_1015a","now-180d","it-admin@redwoodclinics.example","key.created")],
      logs=[log("req_ip_fail","now-3m","GET","/v1/customers/cus_4410",403,"198.51.100.23","ip_not_allowed",repeat=40,every=300),
            ok("req_ip_ok","now-1m","GET","/v1/customers/cus_4410","203.0.113.15",repeat=20,every=120)]),
  key("key_quota","cus_1016",["shipments:read"],quota=(100000,"month"),quota_used=100000,rate_used=3,
      audit=[ev("evt_1016b","now-20d","billing@authdesk.example","plan.changed","growth","starter"),
             ev("evt_1016a","now-220d","ops@atlasfreight.example","key.created")],
      logs=[log("req_qt_fail","now-2m","GET","/v1/shipments/shp_301",403,"198.51.100.75","quota_exceeded",repeat=50,every=240)]),
  key("key_peak","cus_1017",["forecasts:read"],limit=600,window=60,rate_used=588,
      audit=[ev("evt_1017a","now-100d","dev@nimbusweather.example","key.created")],
      logs=[log("req_pk_fail","now-1m","GET","/v1/forecasts",403,None,"rate_limited",repeat=36,every=180,
                ips=["192.0.2.71","192.0.2.72"]),
            ok("req_pk_ok","now-20s","GET","/v1/forecasts","192.0.2.71",repeat=60,every=2)]),
  key("key_scope","cus_1018",["orders:read","customers:read"],
      audit=[ev("evt_1018a","now-45d","admin@juniperschools.example","key.created")],
      logs=[log("req_sc_fail","now-8m","POST","/v1/refunds",403,"203.0.113.55","insufficient_scope",repeat=12,every=900),
            ok("req_sc_ok","now-2m","GET","/v1/orders","203.0.113.55",repeat=25,every=60)]),
  key("key_role","cus_1019",["orders:read"],
      audit=[ev("evt_1019c","now-3d","admin@corvidsecurity.example","scopes.changed",["orders:read","orders:write"],["orders:read"]),
             ev("evt_1019b","now-3d","admin@corvidsecurity.example","role.changed","developer","viewer"),
             ev("evt_1019a","now-160d","admin@corvidsecurity.example","key.created")],
      logs=[log("req_rl_fail","now-5m","POST","/v1/orders",403,"192.0.2.120","insufficient_scope",repeat=28,every=300),
            ok("req_rl_ok","now-3m","GET","/v1/orders","192.0.2.120",repeat=15,every=120)]),
]
unknown = {"key_typo": [log("req_ty_fail","now-6m","GET","/v1/orders/ord_5521",401,"203.0.113.77","invalid_key",repeat=12,every=500)]}
data = {"default_cell":"eu-1","cells":cells,"customers":customers,"keys":keys,"unknown_key_logs":unknown,"routes":routes}
json.dump(data, open(__import__("pathlib").Path(__file__).resolve().parent.parent / "assets/demo/dataset.json", "w"), indent=1)

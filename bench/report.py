#!/usr/bin/env python3
"""The table of make bench (bench/run.sh): every measure as a ratio of this run's baseline, printed and written
between the make-bench markers of docs/benchmarks.md."""
import datetime
import os
import platform
import subprocess
import sys

(results_path, startup_median, starts, load_rss, soak, soak_minutes, conn, secs, warm, projects, write_doc, warm_all) = sys.argv[1:13]
rows = {}
for line in open(results_path):
    label, rps, p50, p99, bad, c = line.rstrip("\n").split("\t")
    rows[label] = {"rps": float(rps), "p50": float(p50), "p99": float(p99), "bad": int(bad), "conn": int(c)}


def verdict(ok):
    return "**met**" if ok else "not met"


def r(label):
    x = rows[label]
    return f"{x['rps']:,.0f} req/s, p50 {x['p50']:.2f} ms"


table = []
live = rows["live"]["rps"] / rows["bare"]["rps"]
table.append(("`GET /live` / bare minimal-API JSON (req/s)", r("live"), r("bare"), f"{live:.2f}", "≥ 0.60", verdict(live >= 0.60)))
p1 = rows["p1_project"]["rps"] / rows["bare"]["rps"]
table.append(("P1 `GET /v1/projects/{id}`, API key, cache hit / bare (req/s)", r("p1_project"), r("bare"), f"{p1:.2f}", "≥ 0.50", verdict(p1 >= 0.50)))
p2 = rows["p2_render"]["rps"] / rows["rawpg"]["rps"]
table.append(("P2 `GET /v1/renders/{id}` from the database / raw Npgsql by key (req/s)", r("p2_render"), r("rawpg"), f"{p2:.2f}", "≥ 0.70", verdict(p2 >= 0.70)))
first = rows["first_page_c4"]["p50"] / rows["single_c4"]["p50"]
table.append((f"first page of `GET /v1/projects` ({int(projects):,} projects) / single GET, p50 at 4 connections", r("first_page_c4"), r("single_c4"), f"{first:.2f}", "≤ 2.0", verdict(first <= 2.0)))
deep = rows["keyset_deep_c4"]["p50"] / rows["first_page_c4"]["p50"]
table.append((f"keyset page ~{int(projects) - 500:,} rows deep / first page (served from the cache), p50 at 4 connections", r("keyset_deep_c4"), r("first_page_c4"), f"{deep:.2f}", "≤ 1.5", verdict(deep <= 1.5)))
if "keyset_second_c4" in rows:  # depth alone: both pages read from the database
    depth = rows["keyset_deep_c4"]["p50"] / rows["keyset_second_c4"]["p50"]
    table.append((f"keyset page ~{int(projects) - 500:,} rows deep / the second page by cursor (both from the database), p50 at 4 connections", r("keyset_deep_c4"), r("keyset_second_c4"), f"{depth:.2f}", "≤ 1.5", verdict(depth <= 1.5)))
table.append(("start-up to `/ready` 200, migrations applied (median of 3)", f"{int(startup_median):,} ms ({starts} ms)", "—", "—", "< 2,000 ms", verdict(int(startup_median) < 2000)))
load_peak, warmup_peak, span_peak = load_rss.split("/")
table.append((f"peak RSS while the API is under the {conn}-connection loads (the measured parts of `/live`, P1, P2; sampled each second)",
              f"{load_peak} MiB (the whole stretch, the API idle during the baselines' runs included: {span_peak} MiB; the mixed warm-up before: {warmup_peak} MiB)",
              "—", "—", "< 300 MiB", verdict(int(load_peak) < 300)))
if soak:
    first_rss, last_rss, growth, slope, requests, bad = soak.split("\t")
    flat = float(growth) < 10 and float(slope) < 0.5  # a leak grows; RSS that settles lower is not one
    table.append((f"RSS over a {soak_minutes}-minute soak (4 connections, mixed GET/POST/PATCH, {int(requests):,} requests, {bad} non-2xx)",
                  f"{first_rss} MiB (mean of minute 2) → {last_rss} MiB (mean of the last minute, before the heap snapshot): {float(growth):+.1f} %, {float(slope):+.2f} MiB/min in the second half", "—", "—",
                  "< 10 % and flat (< 0.5 MiB/min)", verdict(flat)))
errors = sum(x["bad"] for x in rows.values())

cpu = subprocess.run(["sh", "-c", "grep -m1 'model name' /proc/cpuinfo | cut -d: -f2"], capture_output=True, text=True).stdout.strip()
dotnet = subprocess.run(["dotnet", "--version"], capture_output=True, text=True).stdout.strip()
lines = [
    f"Measured {datetime.datetime.now(datetime.timezone.utc):%Y-%m-%d %H:%M} UTC on {os.cpu_count()} cores ({cpu}), {platform.system()} "
    f"{platform.release()}, .NET SDK {dotnet}; command `make bench` (wrk `-t2 -c{conn}`, the API published ReadyToRun as deploy/Dockerfile does, "
    f"{warm_all} s warm-up of every route, then {warm} s warm-up and {secs} s measured per URL; "
    f"client, server, PostgreSQL and Redis share the machine). Non-2xx responses in the measured runs: {errors}.",
    "",
    "| measure | RenderOwl | baseline | ratio | target | |",
    "| --- | --- | --- | --- | --- | --- |",
]
lines += ["| " + " | ".join(row) + " |" for row in table]
text = "\n".join(lines)
print()
print(text)

if write_doc == "1":
    doc = os.path.join(os.path.dirname(__file__), "..", "docs", "benchmarks.md")
    begin, end = "<!-- make-bench:begin -->", "<!-- make-bench:end -->"
    body = open(doc).read()
    if begin in body and end in body:
        head, rest = body.split(begin, 1)
        _, tail = rest.split(end, 1)
        body = head + begin + "\n" + text + "\n" + end + tail
    else:
        body = body.rstrip("\n") + "\n\n## make bench: the latest run\n\n" + begin + "\n" + text + "\n" + end + "\n"
    open(doc, "w").write(body)
    print(f"\nwritten to docs/benchmarks.md")

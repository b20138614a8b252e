#!/usr/bin/env python3
"""Turns the load benchmark's JSON lines (scripts/bench) into the Markdown tables BENCHMARKS.md records."""
import json
import sys

rows = [json.loads(line) for line in open(sys.argv[1]) if line.strip()]
verify = {r["server"]: r["per_second"] for r in rows if r["phase"] == "verify"}
rss = {r["server"]: r["mib"] for r in rows if r["phase"] == "rss"}
raw = verify.get("p256 0.13 (RustCrypto)")

print("\n| server | phase | concurrency | per second | p50 ms | p95 ms | p99 ms | max ms | fewest in a second |")
print("|---|---|---:|---:|---:|---:|---:|---:|---:|")
for r in rows:
    if r["phase"] in ("sign_in", "sign_up"):
        print(f"| {r['server']} | {r['phase'].replace('_', '-')} | {r['concurrency']} | {r['per_second']:,.0f} | "
              f"{r['p50_ms']:.1f} | {r['p95_ms']:.1f} | {r['p99_ms']:.1f} | {r['max_ms']:.1f} | {r['fewest_in_a_second']} |")

print("\n| raw ES256 verify on the server's core | per second |")
print("|---|---:|")
for name, rate in verify.items():
    print(f"| {name} | {rate:,.0f} |")

print("\n| server | peak RSS (MiB) |")
print("|---|---:|")
for name, mib in rss.items():
    print(f"| {name} | {mib} |")

def rate(server, concurrency=64):
    for r in rows:
        if r["server"] == server and r["phase"] == "sign_in" and r["concurrency"] == concurrency:
            return r["per_second"]
    return None

peer = rate("Node peer")
print("\n| ratio at concurrency 64 | SQLite | PostgreSQL |")
print("|---|---:|---:|")
for label, of in (("sign-ins/s ÷ raw verify rate (target ≥ 0.7)", raw), ("sign-ins/s ÷ Node peer (target ≥ 1.5)", peer)):
    cells = []
    for engine in ("SQLite", "PostgreSQL"):
        mine = rate(f"Latchkey, {engine}")
        cells.append(f"{mine / of:.2f}" if mine and of else "–")
    print(f"| {label} | {cells[0]} | {cells[1]} |")
cells = []
for engine in ("SQLite", "PostgreSQL"):
    before, after = rate(f"Latchkey, {engine}"), rate(f"Latchkey, {engine}, 1M rows")
    cells.append(f"{after / before:.2f}" if before and after else "–")
print(f"| with 1M rows ÷ without (target ≥ 0.9) | {cells[0]} | {cells[1]} |")

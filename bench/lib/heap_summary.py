#!/usr/bin/env python3
"""Peak heap per connection by allocation site, from heaptrack's collapsed stacks.

    heaptrack_print -f FILE --flamegraph-cost-type peak -F stacks.txt
    heap_summary.py stacks.txt CONNS

Each stack's bytes go to its innermost frame from our sources (src/, apps/),
so that std:: and boost:: helpers are charged to the code that called them.
"""
import collections
import re
import sys

ours = re.compile(r"\((?:[a-z_]+/)*[a-z_0-9]+\.(?:cpp|hpp)\)$")
ours_files = None


def site(frames):
    for f in reversed(frames):
        m = re.search(r"^(.*) \(([^()]+\.(?:cpp|hpp))\)$", f)
        if m and m.group(2) in ours_files:
            return f"{m.group(1)} ({m.group(2)})"
    return frames[-1] if frames else "?"


def main():
    global ours_files
    path, conns = sys.argv[1], int(sys.argv[2])
    import os
    root = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
    ours_files = set()
    for d in ("src", "apps"):
        for dirpath, _, files in os.walk(os.path.join(root, d)):
            ours_files.update(f for f in files if f.endswith((".cpp", ".hpp")))
    total = 0
    by_site = collections.Counter()
    for line in open(path, encoding="utf-8", errors="replace"):
        stack, _, n = line.rstrip("\n").rpartition(" ")
        if not n.isdigit():
            continue
        frames = [f for f in stack.split(";") if f]
        by_site[site(frames)] += int(n)
        total += int(n)
    print(f"# total peak heap {total / 1024:.0f} KiB = {total / conns:.0f} B per connection "
          f"(with {conns} connections; start-up memory included)")
    for s, b in by_site.most_common(40):
        if b / conns < 4:
            break
        print(f"{b / conns:8.0f} B/conn  {s[:160]}")


main()

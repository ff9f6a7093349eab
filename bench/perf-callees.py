#!/usr/bin/env python3
# What one frame spends its samples on: for each sample whose stack holds FRAME (a substring of a frame's name), the
# frame it called (the one just below its innermost occurrence), as a share of all samples of the dump.
#   perf script > perf.txt && bench/perf-callees.py perf.txt ResponseFinalizerMiddleware [count]
import collections, re, sys
from perf_stacks import read_stacks
stacks = read_stacks(sys.argv[1])
key, top = sys.argv[2], int(sys.argv[3]) if len(sys.argv) > 3 else 12
c, n = collections.Counter(), 0
for st in stacks:
    at = next((i for i, f in enumerate(st) if key in f), None)
    if at is None: continue
    n += 1
    callee = st[at - 1] if at > 0 else '(self)'
    callee = re.sub(r'\[(Optimized|Tier|Instrumented|PreJIT).*|\(/tmp/perf.*', '', callee)
    c[callee.strip()[-140:]] += 1
print(f"{key}: {n / len(stacks):.1%} of {len(stacks)} samples, inclusive")
for k, v in c.most_common(top): print(f"{v / len(stacks):6.2%}  {k}")

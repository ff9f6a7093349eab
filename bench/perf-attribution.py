#!/usr/bin/env python3
# Charges each sample of a `perf script` dump to the innermost request-pipeline frame on its stack (a middleware, the
# API key handler, MVC, Kestrel), so each share includes what that frame calls outside the pipeline.
#   perf record -F 999 -g -p <api pid> -- sleep 12   (API started with DOTNET_PerfMapEnabled=1)
#   perf script > perf.txt && bench/perf-attribution.py perf.txt
import re, collections, sys
from perf_stacks import read_stacks
stacks = read_stacks(sys.argv[1])
total=len(stacks)
pat=re.compile(r'([A-Za-z.]+(?:Middleware|MiddlewareImpl))\b|(ApiKeyAuthenticationHandler)|(ResourceInvoker|ControllerActionInvoker|ObjectResultExecutor|SystemTextJsonOutputFormatter)|(Mediator)|(GetProjectHandler)|(HttpProtocol\+<ProcessRequests>)|(SocketConnection)|(ThreadPoolWorkQueue::Dispatch)')
c=collections.Counter()
for st in stacks:
    name=None
    for f in st:  # leaf first: first match is the innermost
        m=pat.search(f)
        if m:
            name=next(g for g in m.groups() if g); break
    if name is None:
        leaf=st[0]
        name='[kernel] other' if '[kernel' in leaf or re.search(r'\+0x[0-9a-f]+$',leaf) and 'dynamicClass' not in leaf else 'other (no request frame)'
    c[name.split('.')[-1]]+=1
for k,v in c.most_common(40): print(f"{v/total:6.1%}  {k}")
print(total,'samples')

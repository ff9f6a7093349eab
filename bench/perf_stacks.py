"""The stacks of a `perf script` dump: one list of frame names per sample, leaf first."""


def read_stacks(path):
    stacks, cur = [], []
    for line in open(path, errors='replace'):
        if not line.strip():
            if cur: stacks.append(cur); cur = []
            continue
        if line[0] not in ' \t': continue  # the sample's header line (thread, time, event)
        parts = line.strip().split(' ', 1)
        if len(parts) == 2: cur.append(parts[1])
    if cur: stacks.append(cur)
    return stacks

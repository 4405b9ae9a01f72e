"""Single-number tampering of certificates, shared by the checker tests (group and DFA certificates)."""

import copy
import re

NUM = re.compile(r"^-?\d+(/\d+)?$")


def numeric_leaves(obj, skip=(), path=()):
    """Paths to every int or rational-looking string, skipping the dict keys in ``skip``."""
    if isinstance(obj, dict):
        for k, v in obj.items():
            if k not in skip:
                yield from numeric_leaves(v, skip, path + (k,))
    elif isinstance(obj, list):
        for i, v in enumerate(obj):
            yield from numeric_leaves(v, skip, path + (i,))
    elif isinstance(obj, bool):
        return
    elif isinstance(obj, int) or (isinstance(obj, str) and NUM.match(obj)):
        yield path


def get_path(obj, path):
    for p in path:
        obj = obj[p]
    return obj


def set_path(obj, path, value):
    for p in path[:-1]:
        obj = obj[p]
    obj[path[-1]] = value


def bump(v):
    """The number plus one (ints and 'p' / 'p/q' strings)."""
    if isinstance(v, int):
        return v + 1
    num, _, den = v.partition("/")
    return f"{int(num) + 1}/{den}" if den else str(int(num) + 1)


def undetected(cert, is_valid, skip=(), leaves=None):
    """Paths whose single-number change still passes ``is_valid``."""
    out = []
    for path in (leaves if leaves is not None else numeric_leaves(cert, skip)):
        bad = copy.deepcopy(cert)
        set_path(bad, path, bump(get_path(cert, path)))
        if is_valid(bad):
            out.append(path)
    return out

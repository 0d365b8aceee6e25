"""Shared helper of the shims: names that exist only so that `from X import name` succeeds at module load.

Each is a class (so it also works as a base class or in an `except` clause) whose instantiation/call raises
NotImplementedError: nothing in the RoPE harness downloads, uploads or reads weights. Every name handed out this way
is recorded in `REQUESTED` so the harness can report which ones the imports touched.
"""
REQUESTED = set()


class _UnavailableMeta(type):
    def __call__(cls, *args, **kwargs):
        raise NotImplementedError(f"{cls.__module__}.{cls.__name__} is a shim (no network/hub/weights here)")


def unavailable(module, name):
    REQUESTED.add(f"{module}.{name}")
    return _UnavailableMeta(name, (Exception,), {"__module__": module})

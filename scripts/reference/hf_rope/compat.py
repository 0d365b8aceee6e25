"""Additions for torch 1.13 (Debian python3-torch) and typing_extensions 4.4: modules/names transformers v5 imports at module load that this
torch lacks. Each added module holds placeholder classes that raise NotImplementedError when instantiated or called;
none of them is reached by the RoPE code paths (rotary init, forward, apply_rotary_pos_emb). The list of what was
added is in ADDED (and in README.md)."""
import sys
import types

import torch

sys.path.insert(0, __file__.rsplit("/", 1)[0] + "/shims")
from _unavailable import unavailable  # noqa: E402

ADDED = []


def _module(name, names=()):
    """Registers module `name` if torch lacks it; its attributes are placeholders (also on first access)."""
    try:
        __import__(name)
        mod = sys.modules[name]
    except ImportError:
        mod = types.ModuleType(name)
        mod.__getattr__ = lambda attr, _n=name: (_ for _ in ()).throw(AttributeError(attr)) if attr.startswith("__") \
            else unavailable(_n, attr)
        sys.modules[name] = mod
        parent, _, child = name.rpartition(".")
        setattr(sys.modules[parent], child, mod)
        ADDED.append(name)
    for n in names:
        if not hasattr(mod, n):
            setattr(mod, n, unavailable(name, n))
            ADDED.append(f"{name}.{n}")
    return mod


class _MissingTorchModuleFinder:
    """Any `torch.*` module that torch 1.13 does not have becomes an empty placeholder package (recorded in ADDED)."""

    def find_spec(self, name, path=None, target=None):
        if not name.startswith("torch."):
            return None
        sys.meta_path.remove(self)
        try:
            import importlib.util
            real = importlib.util.find_spec(name)
        except ImportError:
            real = None
        finally:
            sys.meta_path.append(self)
        if real is not None:
            return None
        import importlib.machinery
        return importlib.machinery.ModuleSpec(name, self, is_package=True)

    def create_module(self, spec):
        mod = types.ModuleType(spec.name)
        mod.__path__ = []
        mod.__getattr__ = lambda attr, _n=spec.name: (_ for _ in ()).throw(AttributeError(attr)) \
            if attr.startswith("__") else unavailable(_n, attr)
        ADDED.append(spec.name)
        return mod

    def exec_module(self, module):
        pass


sys.meta_path.append(_MissingTorchModuleFinder())

# dtypes newer than 1.13 that transformers lists in lookup tables at load time (placeholders: never a real tensor's)
_module("torch", ["float8_e4m3fn", "float8_e5m2", "float8_e8m0fnu", "float4_e2m1fn_x2", "uint16", "uint32", "uint64"])


def _bare_decorator(ctx):
    """torch >= 2.0 lets `@torch.no_grad` be used without parentheses; 1.13 needs `@torch.no_grad()`."""
    class Ctx(ctx):
        def __new__(cls, orig_func=None):
            if orig_func is None:
                return super().__new__(cls)
            return ctx()(orig_func)

        def __init__(self, orig_func=None):
            super().__init__()

    Ctx.__name__ = Ctx.__qualname__ = ctx.__name__
    return Ctx


torch.no_grad = _bare_decorator(torch.no_grad)
torch.enable_grad = _bare_decorator(torch.enable_grad)
ADDED.append("torch.no_grad / torch.enable_grad usable as bare decorators")

# torch.compiler (torch >= 2.1): nothing is compiled here.
if not hasattr(torch, "compiler"):
    _compiler = types.ModuleType("torch.compiler")
    _compiler.is_compiling = lambda: False
    _compiler.is_exporting = lambda: False
    _compiler.disable = lambda fn=None, recursive=True: fn if fn is not None else (lambda f: f)
    _compiler.allow_in_graph = lambda fn: fn
    _compiler.reset = lambda: None
    _compiler.cudagraph_mark_step_begin = lambda: None
    torch.compiler = _compiler
    sys.modules["torch.compiler"] = _compiler
    ADDED.append("torch.compiler (is_compiling/is_exporting -> False; disable/allow_in_graph -> identity)")

# torch.utils._pytree.register_pytree_node (torch >= 2.2; 1.13 has _register_pytree_node(type, flatten, unflatten)).
import torch.utils._pytree as _pytree  # noqa: E402

if not hasattr(_pytree, "register_pytree_node"):
    def _register_pytree_node(cls, flatten_fn, unflatten_fn, **_ignored):
        _pytree._register_pytree_node(cls, flatten_fn, unflatten_fn)

    _pytree.register_pytree_node = _register_pytree_node
    if not hasattr(_pytree, "_dict_flatten_with_keys"):
        _pytree._dict_flatten_with_keys = None
    ADDED.append("torch.utils._pytree.register_pytree_node (-> _register_pytree_node, extra keywords dropped)")

# torch.finfo on the placeholder dtypes above (module-level constants in integrations/compressed_tensors.py etc.):
# a stand-in with NaN limits, so nothing numeric can silently use it.
_real_finfo = torch.finfo


class _PlaceholderFinfo:
    bits = 8
    min = max = eps = tiny = smallest_normal = resolution = float("nan")


def _finfo(type=None):
    if isinstance(type, torch.dtype) or type is None:
        return _real_finfo() if type is None else _real_finfo(type)
    return _PlaceholderFinfo()


torch.finfo = _finfo
ADDED.append("torch.finfo accepts the placeholder dtypes (NaN limits)")

# torch._dynamo (torch >= 2.0): decorators become identity, nothing is traced.
if not hasattr(torch, "_dynamo"):
    _dynamo = types.ModuleType("torch._dynamo")
    _dynamo.__path__ = []
    _dynamo.assume_constant_result = lambda fn: fn
    _dynamo.allow_in_graph = lambda fn: fn
    _dynamo.disable = lambda fn=None, recursive=True: fn if fn is not None else (lambda f: f)
    _dynamo.mark_static_address = lambda *a, **k: None
    _dynamo.is_compiling = lambda: False
    _dynamo.config = types.SimpleNamespace(capture_scalar_outputs=False)
    _dynamo.exc = types.SimpleNamespace(Unsupported=unavailable("torch._dynamo.exc", "Unsupported"))
    torch._dynamo = _dynamo
    sys.modules["torch._dynamo"] = _dynamo
    ADDED.append("torch._dynamo (assume_constant_result/allow_in_graph/disable -> identity)")

# torch.library.custom_op / register_fake / register_autograd (torch >= 2.4): integrations/moe.py registers a
# grouped-matmul op at load time; here registering does nothing (no MoE expert is run).
import torch.library  # noqa: E402

for _name in ("custom_op", "register_fake", "register_autograd"):
    if not hasattr(torch.library, _name):
        setattr(torch.library, _name, lambda *a, **k: (lambda fn: fn))
        ADDED.append(f"torch.library.{_name} (no-op)")

# typing_extensions.get_original_bases (typing_extensions >= 4.6, types.get_original_bases in Python 3.12).
import typing_extensions  # noqa: E402

if not hasattr(typing_extensions, "get_original_bases"):
    def _get_original_bases(cls):
        try:
            return cls.__dict__.get("__orig_bases__", cls.__bases__)
        except AttributeError:
            raise TypeError(f"Expected an instance of type, not {type(cls).__name__!r}") from None

    typing_extensions.get_original_bases = _get_original_bases
    ADDED.append("typing_extensions.get_original_bases")

# torch.nn.Buffer (torch >= 2.5): `self.name = nn.Buffer(t, persistent=False)` registers `t` as a buffer. Here
# nn.Buffer marks the tensor and Module.__setattr__ turns a marked tensor into register_buffer(name, t, persistent).
if not hasattr(torch.nn, "Buffer"):
    class Buffer:
        def __new__(cls, data=None, *, persistent=True):
            data = torch.empty(0) if data is None else data
            data._posenc_buffer_persistent = persistent
            return data

    _module_setattr = torch.nn.Module.__setattr__

    def _setattr(self, name, value):
        if isinstance(value, torch.Tensor) and hasattr(value, "_posenc_buffer_persistent"):
            persistent = value._posenc_buffer_persistent
            del value._posenc_buffer_persistent
            if name in self.__dict__:
                delattr(self, name)
            self.register_buffer(name, value, persistent=persistent)
            return
        _module_setattr(self, name, value)

    torch.nn.Buffer = Buffer
    torch.nn.Module.__setattr__ = _setattr
    ADDED.append("torch.nn.Buffer (-> Module.register_buffer(name, tensor, persistent))")

# torch.is_autocast_enabled(device_type) (torch >= 2.4 takes the device type; 1.13 has one function per device).
_is_autocast_enabled = torch.is_autocast_enabled


def _autocast_enabled(device_type=None):
    if device_type is None or device_type == "cuda":
        return _is_autocast_enabled()
    if device_type == "cpu":
        return torch.is_autocast_cpu_enabled()
    return False


torch.is_autocast_enabled = _autocast_enabled
ADDED.append("torch.is_autocast_enabled(device_type)")

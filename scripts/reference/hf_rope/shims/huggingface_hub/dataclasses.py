"""Shim of huggingface_hub.dataclasses: `strict`, `validated_field`, `as_validated_field`, `validate_typed_dict`.

Written for the posenc harness from huggingface_hub's documented behaviour (not a copy). What `strict` does, as the
real one does it:
  * every dataclass field gets a type validator (from its annotation) plus any `metadata["validator"]`s; they run
    on each attribute assignment (so also in __init__) and raise StrictDataclassFieldValidationError;
  * with accept_kwargs=True, __init__ takes unknown keyword arguments and hands them to __post_init__(**kwargs);
  * every public method `validate_*(self)` of the class (inherited ones included) is a class validator: after
    __init__ they all run, in dir() order, and a ValueError/TypeError becomes StrictDataclassClassValidationError.
Type checks: Any, None, X | Y / Optional / Union, Literal, list[T], dict[K, V], tuple[...], set[T], Sequence[T],
plain classes (bool is not accepted for int); string / ForwardRef annotations are not checked (same as the real one).
"""
import collections.abc
import inspect
import types
import typing
from dataclasses import MISSING, field, fields, make_dataclass
from functools import wraps

from .errors import (
    StrictDataclassClassValidationError,
    StrictDataclassDefinitionError,
    StrictDataclassFieldValidationError,
)

_UNSET = object()


def _check(name, value, tp):
    origin, args = typing.get_origin(tp), typing.get_args(tp)
    if tp is typing.Any:
        return
    if tp is None or tp is type(None):
        if value is not None:
            raise TypeError(f"Field '{name}' expected None, got {type(value).__name__}")
        return
    if origin in (typing.Union, types.UnionType):
        errors = []
        for t in args:
            try:
                _check(name, value, t)
                return
            except TypeError as e:
                errors.append(str(e))
        raise TypeError(f"Field '{name}' with value {value!r} doesn't match any type in {args}. Errors: {'; '.join(errors)}")
    if origin is typing.Literal:
        ok = any(value == a and type(value) is type(a) for a in args) or (
            not isinstance(value, (bool, int)) and value in args)
        if not ok:
            raise TypeError(f"Field '{name}' expected one of {args}, got {value}")
        return
    if origin is list or origin is set:
        if not isinstance(value, origin):
            raise TypeError(f"Field '{name}' expected a {origin.__name__}, got {type(value).__name__}")
        for i, item in enumerate(value):
            _check(f"{name}[{i}]", item, args[0])
        return
    if origin is dict:
        if not isinstance(value, dict):
            raise TypeError(f"Field '{name}' expected a dict, got {type(value).__name__}")
        for k, v in value.items():
            _check(f"{name}.key", k, args[0])
            _check(f"{name}[{k!r}]", v, args[1])
        return
    if origin is tuple:
        if not isinstance(value, tuple):
            raise TypeError(f"Field '{name}' expected a tuple, got {type(value).__name__}")
        if len(args) == 2 and args[1] is Ellipsis:
            for i, item in enumerate(value):
                _check(f"{name}[{i}]", item, args[0])
        elif len(args) != len(value):
            raise TypeError(f"Field '{name}' expected a tuple of length {len(args)}, got {len(value)}")
        else:
            for i, (item, t) in enumerate(zip(value, args)):
                _check(f"{name}[{i}]", item, t)
        return
    if origin is collections.abc.Sequence:
        if not isinstance(value, collections.abc.Sequence):
            raise TypeError(f"Field '{name}' expected a Sequence, got {type(value).__name__}")
        for i, item in enumerate(value if args else ()):
            _check(f"{name}[{i}]", item, args[0])
        return
    if isinstance(tp, type):
        # isinstance() on a TypedDict raises TypeError: inside a union that simply means "try the next type".
        if (tp is int and isinstance(value, bool)) or not isinstance(value, tp):
            raise TypeError(f"Field '{name}' expected {tp.__name__}, got {type(value).__name__} (value: {value!r})")
        return
    if isinstance(tp, (str, typing.ForwardRef)):
        return
    raise TypeError(f"Unsupported type for field '{name}': {tp}")


def strict(cls=None, *, accept_kwargs=False):
    def wrap(cls):
        if not hasattr(cls, "__dataclass_fields__"):
            raise StrictDataclassDefinitionError(f"Class '{cls.__name__}' must be a dataclass before applying @strict.")
        validators = {}
        for f in fields(cls):
            extra = f.metadata.get("validator")
            extra = [] if extra is None else (extra if isinstance(extra, list) else [extra])
            validators[f.name] = [lambda v, _f=f: _check(_f.name, v, _f.type)] + list(extra)
        cls.__validators__ = validators
        parent_setattr = cls.__setattr__

        def __setattr__(self, name, value):
            for validator in self.__validators__.get(name, ()):
                try:
                    validator(value)
                except (ValueError, TypeError) as e:
                    raise StrictDataclassFieldValidationError(field=name, cause=e) from e
            parent_setattr(self, name, value)

        cls.__setattr__ = __setattr__

        if accept_kwargs:
            def __init__(self, *args, **kwargs):
                if args:
                    raise ValueError(f"When `accept_kwargs=True`, {cls.__name__} accepts only keyword arguments, "
                                     f"but found `{len(args)}` positional args.")
                names = {f.name for f in fields(cls)}
                for f in fields(cls):
                    if f.name in kwargs:
                        setattr(self, f.name, kwargs[f.name])
                    elif f.default is not MISSING:
                        setattr(self, f.name, f.default)
                    elif f.default_factory is not MISSING:
                        setattr(self, f.name, f.default_factory())
                    else:
                        raise TypeError(f"Missing required field - '{f.name}'")
                self.__post_init__(**{k: v for k, v in kwargs.items() if k not in names})

            cls.__init__ = __init__
            if not hasattr(cls, "__post_init__"):
                def __post_init__(self, **kwargs):
                    for k, v in kwargs.items():
                        setattr(self, k, v)
                cls.__post_init__ = __post_init__

        class_validators = []
        for name in dir(cls):
            if not name.startswith("validate_"):
                continue
            method = getattr(cls, name)
            if not callable(method):
                continue
            if len(inspect.signature(method).parameters) != 1:
                raise StrictDataclassDefinitionError(
                    f"Class '{cls.__name__}' has a class validator '{name}' that takes more than one argument.")
            class_validators.append(method)
        cls.__class_validators__ = class_validators

        def validate(self):
            for validator in cls.__class_validators__:
                try:
                    validator(self)
                except (ValueError, TypeError) as e:
                    raise StrictDataclassClassValidationError(validator=validator.__name__, cause=e) from e

        validate.__is_defined_by_strict_decorator__ = True
        if hasattr(cls, "validate") and not getattr(cls.validate, "__is_defined_by_strict_decorator__", False):
            raise StrictDataclassDefinitionError(f"Class '{cls.__name__}' already implements a method called 'validate'.")
        cls.validate = validate

        inner_init = cls.__init__

        @wraps(inner_init)
        def init_with_validate(self, *args, **kwargs):
            inner_init(self, *args, **kwargs)
            cls.validate(self)

        cls.__init__ = init_with_validate
        return cls

    return wrap(cls) if cls is not None else wrap


def validated_field(validator, default=MISSING, default_factory=MISSING, init=True, repr=True, hash=None,
                    compare=True, metadata=None, **kwargs):
    metadata = dict(metadata or {})
    metadata["validator"] = validator if isinstance(validator, list) else [validator]
    return field(default=default, default_factory=default_factory, init=init, repr=repr, hash=hash,
                 compare=compare, metadata=metadata, **kwargs)


def as_validated_field(validator):
    def inner(default=MISSING, default_factory=MISSING, init=True, repr=True, hash=None, compare=True,
              metadata=None, **kwargs):
        return validated_field(validator, default=default, default_factory=default_factory, init=init, repr=repr,
                               hash=hash, compare=compare, metadata=metadata, **kwargs)
    return inner


def validate_typed_dict(schema, data):
    hints = dict(schema.__dict__.get("__annotations__", {}))
    spec = []
    for key, tp in hints.items():
        if typing.get_origin(tp) is typing.Annotated:
            base, *meta = typing.get_args(tp)
            spec.append((key, base, field(default=_UNSET, metadata={"validator": meta[0]})))
        else:
            spec.append((key, tp, field(default=_UNSET)))
    checked = strict(make_dataclass(schema.__name__, spec))
    checked(**data)


__all__ = ["strict", "validate_typed_dict", "validated_field", "as_validated_field",
           "StrictDataclassClassValidationError", "StrictDataclassDefinitionError",
           "StrictDataclassFieldValidationError"]

"""Shim: the strict-dataclass errors (same names, bases and message shapes as huggingface_hub.errors); others are
placeholders."""
from _unavailable import unavailable


class StrictDataclassError(Exception):
    pass


class StrictDataclassDefinitionError(StrictDataclassError):
    pass


class StrictDataclassFieldValidationError(StrictDataclassError):
    def __init__(self, field, cause):
        super().__init__(f"Validation error for field '{field}':\n    {cause.__class__.__name__}: {cause}")


class StrictDataclassClassValidationError(StrictDataclassError):
    def __init__(self, validator, cause):
        super().__init__(f"Class validation error for validator '{validator}':\n    {cause.__class__.__name__}: {cause}")


def __getattr__(name):
    if name.startswith("__"):
        raise AttributeError(name)
    value = unavailable(__name__, name)
    globals()[name] = value
    return value

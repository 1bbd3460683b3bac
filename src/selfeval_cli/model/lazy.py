"""Optional parts of the data whose models are defined only when a file has them.

Defining a pydantic model and building its validator is most of what ``validate`` costs of its own
(README, “速度”); the 自评表, income and 三公 parts are a quarter of the model, and a file without
them should not pay for them. A field typed ``lazy_model("module", "Name")`` validates
with ``Name`` from ``module``, importing it the first time a file has that part; its errors keep
their full location (``assessment.indicators[0].weight``), and the JSON Schema still describes it.
"""

from __future__ import annotations

import functools
import importlib
import typing
from dataclasses import dataclass
from typing import TYPE_CHECKING, Annotated, Any

from pydantic import BaseModel
from pydantic_core import core_schema

if TYPE_CHECKING:
    from pydantic import GetCoreSchemaHandler, GetJsonSchemaHandler
    from pydantic.json_schema import JsonSchemaValue


@dataclass(frozen=True)  # hashable: typing puts it in the Union it stands in
class LazyModel:
    """Where the model of a lazily defined part lives."""

    module: str
    name: str

    def model(self) -> type[BaseModel]:
        """The model class, imported (and so defined) on first use."""
        return _import(self.module, self.name)

    def __get_pydantic_core_schema__(self, source: Any, handler: GetCoreSchemaHandler) -> core_schema.CoreSchema:
        # A plain function validator: the model's own validator runs inside it, and pydantic-core
        # merges the ValidationError it raises into the outer one under this field's location
        # (supported since pydantic-core's early 2.0 days; tests/model/test_lazy.py holds it to that).
        return core_schema.with_info_plain_validator_function(self._validate)

    def __get_pydantic_json_schema__(self, schema: core_schema.CoreSchema,
                                     handler: GetJsonSchemaHandler) -> JsonSchemaValue:
        model = self.model()
        model.model_rebuild()  # the core schema of a deferred model exists once it is built
        return handler(model.__pydantic_core_schema__)

    def _validate(self, value: object, info: core_schema.ValidationInfo) -> BaseModel:
        # An instance already made passes as it is; the context (the file's money unit) goes along.
        return self.model().model_validate(value, context=info.context)


@functools.cache
def _import(module: str, name: str) -> type[BaseModel]:
    found = getattr(importlib.import_module(module), name)
    if not (isinstance(found, type) and issubclass(found, BaseModel)):
        raise TypeError(f"{module}.{name} is not a pydantic model")
    return found


def lazy_model(module: str, name: str) -> Any:
    """The field type of an optional part whose model ``name`` in ``module`` is defined on first use."""
    return Annotated[object, LazyModel(module, name)]


def resolve(annotation: Any) -> Any:
    """``annotation`` with each lazily defined model replaced by its class, for code that walks the model."""
    if typing.get_origin(annotation) is Annotated:
        marks = [mark for mark in typing.get_args(annotation)[1:] if isinstance(mark, LazyModel)]
        if marks:
            return marks[0].model()
    return annotation

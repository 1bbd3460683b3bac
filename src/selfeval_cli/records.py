"""Immutable records that are cheap to define.

Every command defines a dozen or more small value classes (blocks, table cells, marks,
problems) before it does any work. On Python 3.11 a ``@dataclass(frozen=True, slots=True)`` costs about
three times as much to define as a plain one: ``__setattr__``, ``__delattr__`` and ``__hash__``
are each written with ``exec`` and the class is made twice for its slots — about 0.6 ms for each
of the 15 records a build defines (README, “速度”).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TypeVar, dataclass_transform

T = TypeVar("T")


@dataclass_transform(frozen_default=True)
def record(cls: type[T]) -> type[T]:
    """An immutable record class: frozen for the type checker, a plain dataclass at run time.

    ``mypy --strict`` (part of ``make test``) refuses any assignment to a field, which is where
    the immutability is kept; at run time the class is an ordinary dataclass (``==`` compares
    class and fields, ``dataclasses.replace`` makes a changed copy). Records are not hashable,
    and mypy does not know it: never put one in a set, a dict key or a cached function's arguments.
    """
    return dataclass(cls)

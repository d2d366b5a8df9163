"""The four layers of a département's map, as one bundle: communes, EPCI, arrondissements
and the département's outline. The same bundle holds file names, GeoDataFrames (exact or
simplified for display) or encoded JSON, so the four are never listed twice."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass, fields
from typing import Generic, TypeVar

T = TypeVar("T")
U = TypeVar("U")


@dataclass(frozen=True)
class LayerSet(Generic[T]):
    """One value per layer, in drawing order (communes first, outline last)."""

    communes: T
    epci: T
    arrondissements: T
    department: T

    def __iter__(self) -> Iterator[T]:
        return (getattr(self, f.name) for f in fields(self))

    def __getitem__(self, name: str) -> T:
        """The value of a layer by its name (a territory level names its layer)."""
        if name not in LAYER_NAMES:
            raise KeyError(name)
        return getattr(self, name)

    def items(self) -> Iterator[tuple[str, T]]:
        """(layer name, value) pairs."""
        return zip(LAYER_NAMES, self, strict=True)

    def map(self, function: Callable[[T], U]) -> LayerSet[U]:
        """The same function applied to each layer."""
        return LayerSet(*(function(value) for value in self))


LAYER_NAMES = ("communes", "epci", "arrondissements", "department")

"""The projection of the adoption map: a Lambert conformal conic centred on the Baltic Sea.

Shared by `scripts/make_base_map.py`, which draws the country outlines with it, and by
`practices.adoption_map`, which places the libraries on them; both must agree to the
decimal. A conic with standard parallels through Denmark and through central Finland keeps
the Gulf of Finland and the Gulf of Bothnia their familiar shapes, where a plain
longitude/latitude grid stretches the north sideways by half.

No Django here: the script runs before the site exists.
"""

import math
from dataclasses import dataclass


@dataclass(frozen=True)
class Projection:
    """Longitude/latitude in degrees to SVG user units (y grows downwards)."""

    central_longitude: float = 18.0
    origin_latitude: float = 62.0
    standard_parallels: tuple[float, float] = (56.0, 66.0)
    scale: float = 1.0  # SVG units per unit of the unit-sphere projection
    x_offset: float = 0.0
    y_offset: float = 0.0

    def _cone(self):
        phi1, phi2 = (math.radians(p) for p in self.standard_parallels)
        n = math.log(math.cos(phi1) / math.cos(phi2)) / math.log(
            math.tan(math.pi / 4 + phi2 / 2) / math.tan(math.pi / 4 + phi1 / 2)
        )
        f = math.cos(phi1) * math.tan(math.pi / 4 + phi1 / 2) ** n / n
        rho0 = f / math.tan(math.pi / 4 + math.radians(self.origin_latitude) / 2) ** n
        return n, f, rho0

    def unscaled(self, longitude: float, latitude: float) -> tuple[float, float]:
        """East and north on the unit sphere, before scaling and shifting."""
        n, f, rho0 = self._cone()
        latitude = max(min(latitude, 89.9), -89.9)
        rho = f / math.tan(math.pi / 4 + math.radians(latitude) / 2) ** n
        theta = n * math.radians(longitude - self.central_longitude)
        return rho * math.sin(theta), rho0 - rho * math.cos(theta)

    def __call__(self, longitude: float, latitude: float) -> tuple[float, float]:
        east, north = self.unscaled(longitude, latitude)
        return self.x_offset + east * self.scale, self.y_offset - north * self.scale

    def as_dict(self) -> dict:
        return {
            "type": "lambert-conformal-conic",
            "central_longitude": self.central_longitude,
            "origin_latitude": self.origin_latitude,
            "standard_parallels": list(self.standard_parallels),
            "scale": self.scale,
            "x_offset": self.x_offset,
            "y_offset": self.y_offset,
        }

    @classmethod
    def from_dict(cls, data: dict) -> "Projection":
        return cls(
            central_longitude=data["central_longitude"],
            origin_latitude=data["origin_latitude"],
            standard_parallels=tuple(data["standard_parallels"]),
            scale=data["scale"],
            x_offset=data["x_offset"],
            y_offset=data["y_offset"],
        )

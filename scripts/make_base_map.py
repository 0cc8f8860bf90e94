"""Draw the adoption map's base: the Nordic and Baltic countries and their neighbours as SVG
paths, written to practices/data/base_map.json (committed; the site reads only that file).

    npm ci && .venv/bin/python scripts/make_base_map.py

Source: Natural Earth's 1:50m admin-0 countries (public domain) as TopoJSON, from the npm
package world-atlas (node_modules/world-atlas/countries-50m.json). Arcs are decoded,
projected with `practices.map_projection.Projection`, simplified (Douglas-Peucker, per arc,
so that two neighbours keep the same border), stitched into rings and clipped to the map's
rectangle. The output is the same for the same input.
"""

import argparse
import json
import math
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

from practices.map_projection import Projection  # noqa: E402

SOURCE = REPO / "node_modules" / "world-atlas" / "countries-50m.json"
TARGET = REPO / "practices" / "data" / "base_map.json"

WIDTH = 600.0  # SVG user units; the height follows from the region's shape
SIMPLIFY_TOLERANCE = 0.35  # SVG units: about a third of a pixel at the map's widest
SMALLEST_ISLAND = 1.2  # square SVG units (about 8 km²): smaller islands are left out
CLIP_MARGIN = 8.0  # clipped edges fall outside the picture, so their strokes never show

# Places that must be on the map; the rectangle around them, plus a margin, is the map.
FRAME = [
    (4.9, 61.0),  # Norway's west coast
    (31.6, 62.9),  # Finland's eastern border
    (25.8, 71.1),  # North Cape
    (28.2, 59.4),  # Narva
    (23.5, 53.9),  # Lithuania's southern tip
    (8.1, 54.9),  # Denmark's border with Germany
]
FRAME_MARGIN = 0.04  # of the frame's width and height
# Longitude/latitude box around the frame: shapes outside it are never projected (a conic
# folds the far side of the globe, Antarctica included, onto strange places).
NEAR = (-12.0, 48.0, 45.0, 75.0)  # west, south, east, north

# ISO 3166 numeric (Natural Earth's ids) to alpha-2, for every country that reaches the
# frame. The region's own countries are drawn in full colour, the others greyed.
COUNTRIES = {
    "208": "DK",
    "752": "SE",
    "578": "NO",
    "246": "FI",
    "248": "AX",
    "233": "EE",
    "428": "LV",
    "440": "LT",
    "276": "DE",
    "616": "PL",
    "643": "RU",
    "112": "BY",
    "528": "NL",
    "352": "IS",
    "234": "FO",
}
REGION = {"DK", "SE", "NO", "FI", "AX", "EE", "LV", "LT", "IS", "FO"}


def decode_arcs(topology) -> list[list[tuple[float, float]]]:
    """TopoJSON's quantized, delta-encoded arcs as longitude/latitude points."""
    (sx, sy), (tx, ty) = topology["transform"]["scale"], topology["transform"]["translate"]
    arcs = []
    for arc in topology["arcs"]:
        x = y = 0
        points = []
        for dx, dy in arc:
            x, y = x + dx, y + dy
            points.append((x * sx + tx, y * sy + ty))
        arcs.append(points)
    return arcs


def douglas_peucker(points, tolerance):
    """The points of a polyline that keep it within `tolerance` of the original; the ends
    always stay, so arcs still meet their neighbours."""
    if len(points) < 3:
        return list(points)
    keep = [False] * len(points)
    keep[0] = keep[-1] = True
    stack = [(0, len(points) - 1)]
    while stack:
        first, last = stack.pop()
        (ax, ay), (bx, by) = points[first], points[last]
        length = math.hypot(bx - ax, by - ay)
        furthest, index = 0.0, None
        for i in range(first + 1, last):
            px, py = points[i]
            if length:
                distance = abs((bx - ax) * (ay - py) - (ax - px) * (by - ay)) / length
            else:
                distance = math.hypot(px - ax, py - ay)
            if distance > furthest:
                furthest, index = distance, i
        if index is not None and furthest > tolerance:
            keep[index] = True
            stack += [(first, index), (index, last)]
    return [point for point, kept in zip(points, keep, strict=True) if kept]


def ring(arc_indexes, arc_points):
    """A closed ring from its arcs (a negative index, ~i, is arc i walked backwards)."""
    points = []
    for index in arc_indexes:
        arc = arc_points(index) if index >= 0 else arc_points(~index)[::-1]
        points.extend(arc if not points else arc[1:])
    return points


def clip(points, left, top, right, bottom):
    """Sutherland-Hodgman against a rectangle: a polygon that leaves the map is cut along
    its edge (its cut edges lie outside the picture, see CLIP_MARGIN)."""
    edges = [
        (lambda p: p[0] >= left, lambda p, q: _at_x(p, q, left)),
        (lambda p: p[0] <= right, lambda p, q: _at_x(p, q, right)),
        (lambda p: p[1] >= top, lambda p, q: _at_y(p, q, top)),
        (lambda p: p[1] <= bottom, lambda p, q: _at_y(p, q, bottom)),
    ]
    for inside, crossing in edges:
        if not points:
            break
        result = []
        previous = points[-1]
        for point in points:
            if inside(point):
                if not inside(previous):
                    result.append(crossing(previous, point))
                result.append(point)
            elif inside(previous):
                result.append(crossing(previous, point))
            previous = point
        points = result
    return points


def _at_x(p, q, x):
    t = (x - p[0]) / (q[0] - p[0])
    return (x, p[1] + t * (q[1] - p[1]))


def _at_y(p, q, y):
    t = (y - p[1]) / (q[1] - p[1])
    return (p[0] + t * (q[0] - p[0]), y)


def _near(points) -> bool:
    west, south, east, north = NEAR
    longitudes, latitudes = zip(*points, strict=True)
    return (
        min(longitudes) <= east
        and max(longitudes) >= west
        and min(latitudes) <= north
        and max(latitudes) >= south
    )


def area(points):
    return abs(
        sum(
            x1 * y2 - x2 * y1
            for (x1, y1), (x2, y2) in zip(points, points[1:] + points[:1], strict=True)
        )
        / 2
    )


def path_data(rings) -> str:
    """Relative SVG path commands with one decimal: the smallest text for the shapes."""
    parts = []
    for points in rings:
        rounded = [(round(x, 1), round(y, 1)) for x, y in points]
        deduplicated = [rounded[0]] + [
            p for previous, p in zip(rounded, rounded[1:], strict=False) if p != previous
        ]
        if len(deduplicated) < 3:
            continue
        x0, y0 = deduplicated[0]
        commands = [f"M{_n(x0)} {_n(y0)}l"]
        steps = []
        for (xa, ya), (xb, yb) in zip(deduplicated, deduplicated[1:], strict=False):
            steps.append(f"{_n(xb - xa)} {_n(yb - ya)}")
        commands.append(" ".join(steps))
        commands.append("z")
        parts.append("".join(commands))
    return "".join(parts)


def _n(value: float) -> str:
    text = f"{round(value, 1):.1f}".rstrip("0").rstrip(".")
    return "0" if text in ("-0", "") else text


def fitted_projection() -> tuple[Projection, float]:
    """The projection scaled and shifted so that FRAME fills WIDTH, and the map's height."""
    unit = Projection()
    xs, ys = zip(*(unit(lon, lat) for lon, lat in FRAME), strict=True)
    width, height = max(xs) - min(xs), max(ys) - min(ys)
    left, top = min(xs) - width * FRAME_MARGIN, min(ys) - height * FRAME_MARGIN
    scale = WIDTH / (width * (1 + 2 * FRAME_MARGIN))
    projection = Projection(scale=scale, x_offset=-left * scale, y_offset=-top * scale)
    return projection, round(height * (1 + 2 * FRAME_MARGIN) * scale, 1)


def build(topology) -> dict:
    projection, height = fitted_projection()
    arcs = decode_arcs(topology)
    projected = {}

    def arc_points(index):
        if index not in projected:
            points = [projection(lon, lat) for lon, lat in arcs[index]]
            projected[index] = douglas_peucker(points, SIMPLIFY_TOLERANCE)
        return projected[index]

    bounds = (-CLIP_MARGIN, -CLIP_MARGIN, WIDTH + CLIP_MARGIN, height + CLIP_MARGIN)
    countries = []
    for geometry in topology["objects"]["countries"]["geometries"]:
        if geometry.get("type") not in ("Polygon", "MultiPolygon"):
            continue
        polygons = [geometry["arcs"]] if geometry["type"] == "Polygon" else geometry["arcs"]
        rings = []
        for polygon in polygons:
            if not _near(ring(polygon[0], lambda index: arcs[index])):
                continue
            for arc_indexes in polygon:
                clipped = clip(ring(arc_indexes, arc_points), *bounds)
                if len(clipped) >= 3 and area(clipped) >= SMALLEST_ISLAND:
                    rings.append(clipped)
        if not rings:
            continue
        code = COUNTRIES.get(str(geometry.get("id")))
        if code is None:
            raise SystemExit(
                f"{geometry['properties']['name']} (id {geometry.get('id')}) reaches the map: "
                "add its ISO code to COUNTRIES"
            )
        countries.append({"code": code, "region": code in REGION, "path": path_data(rings)})
    countries.sort(key=lambda country: (country["region"], country["code"]))
    return {
        "source": "Natural Earth 1:50m admin-0 countries (public domain), "
        "via world-atlas countries-50m.json",
        "width": WIDTH,
        "height": height,
        "projection": projection.as_dict(),
        "countries": countries,
    }


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--source", type=Path, default=SOURCE)
    parser.add_argument("--target", type=Path, default=TARGET)
    arguments = parser.parse_args()
    if not arguments.source.exists():
        raise SystemExit(f"{arguments.source} is missing: run `npm ci` first")
    base_map = build(json.loads(arguments.source.read_text()))
    arguments.target.parent.mkdir(parents=True, exist_ok=True)
    arguments.target.write_text(json.dumps(base_map, ensure_ascii=False, indent=1) + "\n")
    print(f"{arguments.target}: {arguments.target.stat().st_size // 1024} KB")


if __name__ == "__main__":
    main()

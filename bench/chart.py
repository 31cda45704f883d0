"""Time and peak memory against size, as an SVG written by hand (no plotting
dependency), with the same figures as a markdown table for readers who
cannot see the chart, and the machine they were measured on.

    python -m bench.chart            # reads bench/results/<size>.json

Writes bench/results/chart.svg and bench/results/chart.md, and refreshes the
chart section of bench/README.md (between its chart markers)."""

from __future__ import annotations

import json
import math
import sys
from html import escape
from pathlib import Path

from bench import goals, report, shape

SERIES = (  # measurement, label, colour (Okabe-Ito, safe for colour blindness), dash
    (goals.FIRST_RUN, "reconcile, first run", "#0072B2", ""),
    (goals.EVERY_UNIT, "every unit again", "#56B4E9", "6 3"),
    (goals.NOTHING_CHANGED, "nothing changed (touched)", "#009E73", "2 3"),
    (goals.NEXT_DAY, "after a day's changes", "#E69F00", "8 3 2 3"),
    (goals.LOWER_BOUND, "SQL lower bound", "#000000", "1 2"),
    (goals.CLI, "command-line engine (largest council)", "#CC79A7", "4 4"),
)
MARKERS = ("circle", "square", "diamond", "triangle", "circle", "square")
W, H, PANEL_W, TOP, BOTTOM, LEFT = 900, 440, 340, 50, 330, 70
START, END = "<!-- chart:start -->", "<!-- chart:end -->"


def load_results(directory: Path = report.RESULTS) -> list[dict]:
    found = []
    for size in shape.SIZES:
        path = directory / f"{size}.json"
        if path.exists():
            found.append(json.loads(path.read_text(encoding="utf-8")))
    return found


def figures(results: list[dict]) -> dict[str, dict[str, tuple[float | None, float | None]]]:
    """size -> measurement -> (seconds, peak MiB)."""
    out = {}
    for run in results:
        by_name = {m["name"]: m for m in run["measurements"]}
        out[run["size"]] = {
            name: (by_name[name].get("seconds"), by_name[name].get("peak_rss_mib"))
            for name, *_ in SERIES
            if name in by_name
        }
    return out


def _log_axis(values: list[float]) -> tuple[float, float]:
    low = math.floor(math.log10(min(values))) if values else -1
    high = math.ceil(math.log10(max(values))) if values else 2
    return low, max(high, low + 1)


def el(tag: str, text: str | None = None, **attrs) -> str:
    """An SVG element; attribute names use _ for - (stroke_width="2")."""
    pairs = " ".join(
        f'{k.rstrip("_").replace("_", "-")}="{f"{v:.1f}" if isinstance(v, float) else v}"'
        for k, v in attrs.items()
    )
    return f"<{tag} {pairs}/>" if text is None else f"<{tag} {pairs}>{escape(text)}</{tag}>"


def _marker(shape_name: str, x: float, y: float, colour: str) -> str:
    if shape_name == "circle":
        return el("circle", cx=x, cy=y, r=4, fill=colour)
    if shape_name == "square":
        return el("rect", x=x - 4, y=y - 4, width=8, height=8, fill=colour)
    if shape_name == "diamond":
        points = f"{x},{y - 5} {x + 5},{y} {x},{y + 5} {x - 5},{y}"
    else:
        points = f"{x},{y - 5} {x + 5},{y + 4} {x - 5},{y + 4}"
    return el("polygon", points=points, fill=colour)


def _frame(left: float, title: str, low: int, high: int, px, py) -> list[str]:
    """The panel's box, title, decades and sizes."""
    right = left + PANEL_W
    out = [
        el(
            "text",
            title,
            x=left + PANEL_W / 2,
            y=TOP - 16,
            text_anchor="middle",
            font_weight="bold",
        ),
        el("rect", x=left, y=TOP, width=PANEL_W, height=BOTTOM - TOP, fill="none", stroke="#888"),
    ]
    for decade in range(low, high + 1):
        y = py(10**decade)
        out.append(el("line", x1=left, x2=right, y1=y, y2=y, stroke="#ddd"))
        out.append(el("text", f"{10**decade:g}", x=left - 6, y=y + 4, text_anchor="end"))
    for size, spec in shape.SIZES.items():
        x = px(math.log10(spec.staff))
        out.append(el("line", x1=x, x2=x, y1=TOP, y2=BOTTOM, stroke="#eee"))
        label = f"{size} ({spec.staff:,} staff)"
        out.append(el("text", label, x=x, y=BOTTOM + 16, text_anchor="middle"))
    return out


def _panel(data, index: int, title: str, left: float) -> list[str]:
    """One panel: a log-log plot of one figure (0 time, 1 memory) against staff."""
    sizes = [s for s in shape.SIZES if s in data]
    values = [v[index] for s in sizes for v in data[s].values() if v[index] and v[index] > 0]
    if index == 1:
        values.append(goals.MEMORY_LIMIT_MIB)
    low, high = _log_axis(values)
    x_low, x_high = 1.8, 5.2  # about 60 to 160,000 staff

    def px(x):
        return left + (x - x_low) / (x_high - x_low) * PANEL_W

    def py(y):
        return BOTTOM - (math.log10(y) - low) / (high - low) * (BOTTOM - TOP)

    out = _frame(left, title, low, high, px, py)
    if index == 1:
        y, goal = py(goals.MEMORY_LIMIT_MIB), "#D55E00"
        line = {"stroke": goal, "stroke_dasharray": "3 3"}
        out.append(el("line", x1=left, x2=left + PANEL_W, y1=y, y2=y, **line))
        out.append(
            el("text", "goal: 1 GiB", x=left + PANEL_W - 4, y=y - 4, text_anchor="end", fill=goal)
        )
    for (name, _label, colour, dash), mark in zip(SERIES, MARKERS, strict=True):
        points = [
            (px(math.log10(shape.SIZES[s].staff)), py(data[s][name][index]))
            for s in sizes
            if (data[s].get(name) or (0, 0))[index]
        ]
        if len(points) > 1:
            path = " ".join(f"{x:.1f},{y:.1f}" for x, y in points)
            style = {"stroke": colour, "stroke_width": 2, "stroke_dasharray": dash}
            out.append(el("polyline", points=path, fill="none", **style))
        out += [_marker(mark, x, y, colour) for x, y in points]
    return out


def svg(results: list[dict]) -> str:
    data = figures(results)
    machine = report.machine_line(results[-1]["machine"]) if results else "no results yet"
    body = _panel(data, 0, "Time (seconds, log scale)", LEFT)
    body += _panel(data, 1, "Peak memory (MiB, log scale)", LEFT + PANEL_W + 100)
    for n, ((_name, label, colour, dash), mark) in enumerate(zip(SERIES, MARKERS, strict=True)):
        x, y = LEFT + (n % 3) * 260, BOTTOM + 42 + (n // 3) * 18
        style = {"stroke": colour, "stroke_width": 2, "stroke_dasharray": dash}
        body.append(el("line", x1=x, x2=x + 28, y1=y - 4, y2=y - 4, **style))
        body.append(_marker(mark, x + 14, y - 4, colour))
        body.append(el("text", label, x=x + 36, y=y))
    for n, part in enumerate(machine.split("; ", 1)):
        body.append(el("text", part, x=LEFT, y=H - 22 + 12 * n, font_size=10, fill="#444"))
    desc = f"Time and peak memory of each measurement against size. Measured on: {machine}"
    return (
        f'<svg xmlns="http://www.w3.org/2000/svg" width="{W}" height="{H}" viewBox="0 0 {W} {H}" '
        'role="img" aria-labelledby="title desc" font-family="sans-serif" font-size="12">\n'
        '<title id="title">Oversight benchmark: time and memory against size</title>\n'
        f'<desc id="desc">{escape(desc)}</desc>\n<rect width="100%" height="100%" fill="white"/>\n'
        + "\n".join(body)
        + "\n</svg>\n"
    )


def table(results: list[dict]) -> str:
    """The chart's figures as a markdown table."""
    data = figures(results)
    head = "| size | staff | open cases | " + " | ".join(label for _n, label, *_ in SERIES)
    lines = [head + " |", "|---|---:|---:|" + "---:|" * len(SERIES)]
    for run in results:
        size = run["size"]
        cells = []
        for name, *_ in SERIES:
            seconds, mib = data[size].get(name, (None, None))
            cells.append("-" if seconds is None else f"{seconds:,.2f} s / {mib:,.0f} MiB")
        spec = shape.SIZES[size]
        lines.append(f"| {size} | {spec.staff:,} | {spec.cases:,} | " + " | ".join(cells) + " |")
    machines = sorted({f"{r['size']}: {report.machine_line(r['machine'])}" for r in results})
    return (
        "\n".join(lines)
        + "\n\nEach cell: time / peak memory.\n\n"
        + "\n".join(f"- {m}" for m in machines)
        + "\n"
    )


def main() -> int:
    results = load_results()
    report.RESULTS.mkdir(parents=True, exist_ok=True)
    (report.RESULTS / "chart.svg").write_text(svg(results), encoding="utf-8")
    section = (
        f"{START}\n![Time and peak memory against size](results/chart.svg)\n\n{table(results)}{END}"
    )
    (report.RESULTS / "chart.md").write_text(section + "\n", encoding="utf-8")
    readme = report.RESULTS.parent / "README.md"
    if readme.exists():
        text = readme.read_text(encoding="utf-8")
        if START in text and END in text:
            before, rest = text.split(START, 1)
            readme.write_text(before + section + rest.split(END, 1)[1], encoding="utf-8")
    print(table(results))
    print(f"Wrote {report.RESULTS / 'chart.svg'}")
    return 0


if __name__ == "__main__":
    sys.exit(main())

"""Server-side SVG charts: the geometry is computed here, the template draws it (no script, no CDN)."""

from flask_babel import gettext as _

WIDTH, HEIGHT, PAD_LEFT, PAD_BOTTOM, PAD_TOP = 320, 120, 30, 18, 14  # room above a bar for its count


def _line(values, top):
    """Points of a polyline over the plot area for `values` (None: gap), scaled to `top`."""
    n = len(values)
    plot_w, plot_h = WIDTH - PAD_LEFT - 6, HEIGHT - PAD_BOTTOM - PAD_TOP
    points, dots = [], []
    for i, value in enumerate(values):
        if value is None:
            continue
        x = PAD_LEFT + (plot_w * i / (n - 1) if n > 1 else plot_w / 2)
        y = PAD_TOP + plot_h * (1 - min(value, top) / top if top else 1)
        points.append(f"{x:.1f},{y:.1f}")
        dots.append((round(x, 1), round(y, 1), value))
    return " ".join(points), dots


def _chart(title, values, labels, top, unit, target=None):
    points, dots = _line(values, top)
    plot_h = HEIGHT - PAD_BOTTOM - PAD_TOP
    target_y = None if target is None else round(PAD_TOP + plot_h * (1 - min(target, top) / top), 1)
    # The first and last week's labels under the ends of the axis; a single week's under its point.
    if len(labels) > 1:
        ticks = [(PAD_LEFT, "start", labels[0]), (WIDTH - 2, "end", labels[-1])]
    else:
        ticks = [(PAD_LEFT + (WIDTH - PAD_LEFT - 6) / 2, "middle", label) for label in labels]
    return {
        "title": title,
        "points": points,
        "dots": dots,
        "top": top,
        "unit": unit,
        "target_y": target_y,
        "ticks": ticks,
        "width": WIDTH,
        "height": HEIGHT,
        "left": PAD_LEFT,
        "base": HEIGHT - PAD_BOTTOM,
        "summit": PAD_TOP,
        "latest": next((v for v in reversed(values) if v is not None), None),
    }


def trend_charts(board) -> list[dict]:
    labels = [monday.strftime("%m-%d") for monday, _f in board.trend]

    def pct(values):
        return [None if v is None else round(v * 100, 1) for v in values]

    participation = pct([f.participation for _m, f in board.trend])
    pass_rate = pct([f.pass_rate_after for _m, f in board.trend])
    minutes = [f.average_minutes for _m, f in board.trend]
    top_minutes = max([m for m in minutes if m is not None] + [board.target_minutes]) or 1
    return [
        _chart(_("Participation"), participation, labels, 100, "%", board.targets["participation"] * 100),
        _chart(_("Pass rate (after retake)"), pass_rate, labels, 100, "%", board.targets["pass_rate"] * 100),
        _chart(_("Study minutes per day"), minutes, labels, top_minutes, "", board.target_minutes),
    ]


def distribution_chart(distribution) -> dict:
    """Bars of the score distribution."""
    top = max([count for _label, count in distribution] + [1])
    n = len(distribution)
    plot_w, plot_h = WIDTH - PAD_LEFT - 6, HEIGHT - PAD_BOTTOM - PAD_TOP
    step = plot_w / n
    bars = []
    for i, (label, count) in enumerate(distribution):
        h = plot_h * count / top
        bars.append(
            {
                "x": round(PAD_LEFT + i * step + 2, 1),
                "y": round(PAD_TOP + plot_h - h, 1),
                "w": round(step - 4, 1),
                "h": round(h, 1),
                "label": label.split("–")[0],
                "count": count,
            }
        )
    return {
        "bars": bars,
        "width": WIDTH,
        "height": HEIGHT,
        "base": HEIGHT - PAD_BOTTOM,
        "top": top,
        "left": PAD_LEFT,
        "summit": PAD_TOP,
    }

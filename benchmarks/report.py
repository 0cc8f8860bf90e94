"""How the figures are printed, and the targets of issue #7 next to them."""

from __future__ import annotations

from dataclasses import dataclass

LARGE_PRACTICES = 100_000


def _records(counts: dict) -> str:
    return ", ".join(f"{n} {section.replace('_', ' ')}" for section, n in counts.items())


def machine_lines(machine: dict, command: str, date: str, database: str) -> list[str]:
    return [
        f"date:     {date}",
        f"command:  {command}",
        f"machine:  {machine['cpu']}, {machine['cores']} cores ({machine['usable_cores']} usable), "
        f"{machine['memory_gb']} GB RAM, load {' '.join(map(str, machine['load_average']))}",
        f"software: Python {machine['python']}, SQLite {machine['sqlite']}, "
        f"Django {machine['django']}, Wagtail {machine['wagtail']}; {machine['system']}",
        f"database: {database} ({machine['database']})",
        f"code:     {machine['commit']}",
    ]


def generate_lines(result: dict) -> list[str]:
    return [
        f"generate        {_records(result['records'])}: {result['expected_pages']} pages "
        f"expected; {result['seconds']:.1f} s ({result['megabytes']:.1f} MB of JSON)"
    ]


def import_lines(result: dict, expected_pages: int) -> list[str]:
    lines = [
        f"import          {result['pages_written']} pages written in {result['seconds']:.1f} s "
        f"= {result['pages_per_second']:.1f} pages/s (search index and open data included); "
        f"peak RSS {result['peak_rss_mb']:.0f} MB",
        f"                {result['search_entries']} search entries and "
        f"{result['wagtail_index_entries']} Wagtail index entries after the import",
    ]
    if result["pages_written"] != expected_pages:
        lines.append(f"                WARNING: {expected_pages} pages were expected")
    return lines


def reindex_lines(label: str, result: dict | None, note: str = "") -> list[str]:
    """The figures of a reindex, or why there are none."""
    if result is None:
        return [f"{label:<15} {note}"]
    return [
        f"{label:<15} {result['documents']} documents in {result['seconds']:.1f} s "
        f"({result['documents_per_second']:.0f}/s), {result['vocabulary_terms']} vocabulary "
        f"terms; peak RSS {result['peak_rss_mb']:.0f} MB",
        *_index_size_lines(result),
    ]


def _index_size_lines(result: dict) -> list[str]:
    size = result.get("index_megabytes")
    if not size:
        return []
    return [
        f"{'':<15} index: {size['full_text_index']:.1f} MB full-text index, "
        f"{size['token_columns']:.1f} MB of token columns"
    ]


def wagtail_index_lines(result: dict) -> list[str]:
    return [
        f"Wagtail index   update_index: {result['entries']} entries in {result['seconds']:.1f} s "
        f"({result['entries_before']} were already there after the import, which indexes on "
        f"save); peak RSS {result['peak_rss_mb']:.0f} MB"
    ]


def _latency_row(label: str, figures: dict, extra: str = "") -> str:
    return (
        f"  {label:<22}{figures['p50_ms']:>8.1f}{figures['p95_ms']:>8.1f}"
        f"{figures['p99_ms']:>8.1f}{figures['mean_ms']:>8.1f}{extra}"
    )


def search_lines(result: dict, vendor: str) -> list[str]:
    ours, wagtail, floor = result["ours"], result["wagtail"], result["floor"]
    floor_label = "floor (FTS5 MATCH)" if vendor == "sqlite" else "floor (tsquery)"
    queries = ours["sql_queries_per_request"]
    lines = [
        f"search          {ours['count']} queries (5 kinds x 6 languages, 0-3 filters), in ms, "
        f"after {result['warm_up']} warm-up queries",
        f"  {'':<22}{'p50':>8}{'p95':>8}{'p99':>8}{'mean':>8}   no result / median results",
        _latency_row(
            "ours (JSON API)", ours, f"   {ours['without_results']} / {ours['median_results']}"
        ),
        _latency_row(
            "Wagtail .search()",
            wagtail,
            f"   {wagtail['without_results']} / {wagtail['median_results']} (first 20)",
        ),
        *(
            [
                f"  ({wagtail['stopped']} Wagtail searches stopped after "
                f"{wagtail['time_limit_seconds']} s, counted as that: its figures are at least these)"
            ]
            if wagtail.get("stopped")
            else []
        ),
        _latency_row(
            floor_label, floor, f"   {floor['without_results']} / {floor['median_results']}"
        ),
        f"  ours / Wagtail: p50 {ratio(ours, wagtail, 'p50_ms'):.2f}x, "
        f"p95 {ratio(ours, wagtail, 'p95_ms'):.2f}x;  ours / floor at p95: "
        f"{ratio(ours, floor, 'p95_ms'):.1f}x",
        f"  SQL queries per API search: {queries['min']}-{queries['max']}",
        "  ours by kind:",
    ]
    lines += [_latency_row(kind, figures) for kind, figures in result["ours_by_kind"].items()]
    lines.append(f"  peak RSS {result['peak_rss_mb']:.0f} MB (the three searches in one process)")
    return lines


def pages_lines(result: dict) -> list[str]:
    lines = [
        f"pages           {result['requests']} requests each, in ms",
        f"  {'':<22}{'p50':>8}{'p95':>8}{'p99':>8}{'mean':>8}   SQL queries (max)",
    ]
    for kind, figures in result["kinds"].items():
        lines.append(_latency_row(kind, figures, f"   {figures['sql_queries_max']}"))
    lines.append("  each page's first view (nothing of it kept yet):")
    for kind, figures in result["kinds"].items():
        if "first_view" in figures:  # runs before it had none
            lines.append(_latency_row(f"  {kind}", figures["first_view"]))
    lines.append(f"  peak RSS {result['peak_rss_mb']:.0f} MB (the web process)")
    return lines


def load_lines(result: dict) -> list[str]:
    mix = ", ".join(f"{kind} {share} %" for kind, share in result["mix"].items())
    lines = [
        f"load            {result['server']}; open loop (Poisson arrivals), "
        f"{result['level_seconds']} s a level, at most {result['max_in_flight']} requests in "
        f"flight, {result['request_timeout_seconds']} s timeout; latency from the time a "
        "request was due",
        f"  mix: {mix}",
        f"  {'offered/s':>10}{'achieved/s':>12}{'sent':>7}{'dropped':>9}{'p50 ms':>9}"
        f"{'p99 ms':>9}   errors (5xx, timeouts, connection)",
    ]
    for level in result["levels"]:
        lines.append(_load_row(str(level["offered_per_second"]), level))
    during = result["during_import"]
    lines.append(_load_row(f"{during['offered_per_second']}+import", during))
    state = "done" if during["imported"] else "FAILED"
    lines.append(
        f"  (+import: kb_import of {during['import_practices']} more practices, "
        f"{during['import_seconds']} s, {state}; the load ran {during['seconds']} s"
        + (", and stopped before the import ended" if during["load_outlived_by_import"] else "")
        + ")"
    )
    if not during["imported"]:
        lines.append(f"  import error: {during['import_error'].strip()[-300:]}")
    top = result["levels"][-1]
    kinds = ", ".join(
        f"{kind} {figures['p50_ms']:.0f}/{figures['p99_ms']:.0f}"
        for kind, figures in top["by_kind"].items()
    )
    lines.append(f"  at {top['offered_per_second']}/s, p50/p99 ms by kind: {kinds}")
    for level in [*result["levels"], during]:
        if level["other_statuses"]:
            lines.append(
                f"  WARNING: other statuses at {level['offered_per_second']}/s: "
                f"{level['other_statuses']}"
            )
    warm_statuses = result["warm_up"]["statuses"]
    if set(warm_statuses) != {"200"}:
        lines.append(f"  WARNING: warm-up statuses {warm_statuses}")
    rss = result["worker_peak_rss_mb"]
    if rss:
        lines.append(
            f"  gunicorn workers' peak RSS: {', '.join(f'{mb:.0f}' for mb in rss)} MB "
            "(at the end of the load)"
        )
    return lines


def _load_row(label: str, level: dict) -> str:
    def ms(value):
        return f"{value:>9.1f}" if value is not None else f"{'-':>9}"

    return (
        f"  {label:>10}{level['achieved_per_second']:>12.1f}{level['sent']:>7}"
        f"{level['dropped']:>9}{ms(level['p50_ms'])}{ms(level['p99_ms'])}   "
        f"{level['errors']} ({level['5xx']}, {level['timeouts']}, {level['connection_errors']})"
    )


def load_errors(load: dict) -> int:
    return sum(level["errors"] for level in [*load["levels"], load["during_import"]])


def headline_lines(steps: dict, not_run: list[str]) -> list[str]:
    """The figures asked for first: search latency, the web process's memory, the index's
    size, the errors under load, and whatever this run did not measure."""
    ours = steps["search"]["ours"]
    lines = [
        "headline",
        f"  search (JSON API) p50 / p95 / p99: {ours['p50_ms']:.1f} / {ours['p95_ms']:.1f} / "
        f"{ours['p99_ms']:.1f} ms",
        f"  web process peak RSS: {steps['pages']['peak_rss_mb']:.0f} MB (the pages step's "
        "process, which rendered every kind of page and ran searches through the API)",
    ]
    load = steps.get("load")
    if load and load.get("worker_peak_rss_mb"):
        lines.append(
            f"  gunicorn workers' peak RSS under load: {max(load['worker_peak_rss_mb']):.0f} MB "
            "at most"
        )
    size = steps["reindex"].get("index_megabytes")
    if size:
        lines.append(
            f"  search index: {size['full_text_index']:.1f} MB full-text index, "
            f"{size['token_columns']:.1f} MB of token columns"
        )
    if load:
        best = max(level["achieved_per_second"] for level in load["levels"])
        lines.append(
            f"  under load: {load_errors(load)} errors in all; at most {best:.1f} requests/s "
            "answered 200"
        )
    stopped = steps["search"]["wagtail"].get("stopped")
    if stopped:
        lines.append(f"  {stopped} Wagtail searches stopped at the time limit (figures are floors)")
    lines += [f"  not run: {note}" for note in not_run]
    return lines


def ratio(numerator: dict, denominator: dict, figure: str) -> float:
    return numerator[figure] / denominator[figure] if denominator[figure] else float("inf")


@dataclass(frozen=True)
class Target:
    name: str
    figure: str
    goal: str
    met: bool

    def as_dict(self) -> dict:
        return {"name": self.name, "figure": self.figure, "goal": self.goal, "met": self.met}


def targets(steps: dict, practices: int) -> list[Target]:
    search, pages = steps["search"], steps["pages"]["kinds"]
    ours = search["ours"]
    practice = pages["practice page"]
    imported = steps["import"]
    reindex = steps["reindex"]
    versus_wagtail = (
        ratio(ours, search["wagtail"], "p50_ms"),
        ratio(ours, search["wagtail"], "p95_ms"),
    )
    versus_floor = ratio(ours, search["floor"], "p95_ms")
    web_rss = steps["pages"]["peak_rss_mb"]
    rss_goal = "<= 300 MB" + ("" if practices == LARGE_PRACTICES else " (set for 100 000)")
    found = [
        Target("search p95", f"{ours['p95_ms']:.1f} ms", "<= 50 ms", ours["p95_ms"] <= 50),
        Target("search p95 / floor p95", f"{versus_floor:.1f}x", "<= 3x", versus_floor <= 3),
        Target(
            "search / Wagtail (p50, p95)",
            f"{versus_wagtail[0]:.2f}x, {versus_wagtail[1]:.2f}x",
            "< 1x (faster)",
            max(versus_wagtail) < 1,
        ),
        Target(
            "practice page p95",
            f"{practice['p95_ms']:.1f} ms",
            "<= 30 ms",
            practice["p95_ms"] <= 30,
        ),
        Target(
            "practice page SQL queries",
            str(practice["sql_queries_max"]),
            "<= 20",
            practice["sql_queries_max"] <= 20,
        ),
        Target(
            "import",
            f"{imported['pages_per_second']:.1f} pages/s",
            ">= 100 pages/s",
            imported["pages_per_second"] >= 100,
        ),
        Target(
            "embedded reindex", f"{reindex['seconds']:.1f} s", "<= 60 s", reindex["seconds"] <= 60
        ),
        Target("web process peak RSS (pages step)", f"{web_rss:.0f} MB", rss_goal, web_rss <= 300),
    ]
    load = steps.get("load")
    if load:
        errors = load_errors(load)
        found.append(Target("errors under load", str(errors), "0", errors == 0))
        imported = load["during_import"]["imported"]
        found.append(
            Target("import under load", "done" if imported else "failed", "done", imported)
        )
    return found


def summary_lines(found: list[Target], practices: int) -> list[str]:
    width = max(len(target.name) for target in found)
    figure_width = max(len(target.figure) for target in found)
    goal_width = max(len(target.goal) for target in found)
    lines = [
        f"summary ({practices} practices; the targets are set for 10 000, RSS for 100 000)",
        f"  {'':<{width}}  {'figure':<{figure_width}}  {'target':<{goal_width}}",
    ]
    for target in found:
        mark = "met" if target.met else "NOT MET"
        lines.append(
            f"  {target.name:<{width}}  {target.figure:<{figure_width}}  "
            f"{target.goal:<{goal_width}}  {mark}"
        )
    return lines

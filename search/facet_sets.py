"""The index's facet values as compressed bitmaps (Roaring, through pyroaring), so that a
query's filters and disjunctive facet counts are intersections of sets instead of a pass in
Python over every match's facet values (Lucene and Meilisearch keep their facets the same way).

Kept per process and built again when the index version changes (`search.snapshots`); the
related practices are found from the same sets (`search.related`). Per facet value the set of
the translation groups that have it (as numbers given at loading). Facets count groups, but
filters apply to each entry on its own; the two agree for a group whose versions all have the
same facet values, which is nearly every group. The few whose versions differ ("mixed"
groups: a tag added to one version only, say) are filtered and counted entry by entry, as
before, so that the counts stay exactly what they were."""

import heapq
from collections import Counter, defaultdict
from dataclasses import dataclass, field

from pyroaring import BitMap

from .matching import COVERAGE, prior

EMPTY = BitMap()


@dataclass(slots=True)
class Entry:
    group: int
    prior: float  # `search.matching.prior` of its type and anchoring
    published_at: str | None  # as text, which sorts the same
    anchored: int
    evidence: int  # the rank of its evidence level, 0 when it has none


@dataclass
class FacetSets:
    entries: dict = field(default_factory=dict)  # page id -> Entry
    keys: list = field(default_factory=list)  # group number -> translation key
    members: list = field(default_factory=list)  # group number -> its page ids
    # facet -> value -> BitMap of the numbers of the groups that have it (in some version)
    groups_with: dict = field(default_factory=dict)
    mixed: BitMap = field(default_factory=BitMap)  # groups whose versions' facet values differ
    page_ids: BitMap = field(default_factory=BitMap)  # every entry
    pairs_of: dict = field(default_factory=dict)  # page id -> its (facet, value) pairs (mixed)


def build(rows) -> FacetSets:
    """The sets of these entries: each entry's (page id, translation key, publication date as
    text, [(facet, value) ...], anchored, evidence rank), as the backend reads them
    (`backends.database.facet_entries`), the versions of a group one after the other. Built
    row by row: only what is kept is held."""
    numbers, keys, members, entries = {}, [], [], {}
    group_pairs = {}  # of the group being read: page id -> its facet values
    mixed, pairs_of = [], {}
    groups_with = defaultdict(lambda: defaultdict(BitMap))

    def end_of_group(group):
        if len(group_pairs) > 1 and len({frozenset(p) for p in group_pairs.values()}) > 1:
            mixed.append(group)
            pairs_of.update(group_pairs)
        group_pairs.clear()

    group = None
    for page_id, key, published_at, pairs, anchored, evidence in rows:
        if group is None or keys[group] != key:
            if group is not None:
                end_of_group(group)
            group = numbers.setdefault(key, len(keys))
            if group == len(keys):
                keys.append(key)
                members.append([])
        members[group].append(page_id)
        kind = pairs[0][1] if pairs else ""  # the type comes first
        entries[page_id] = Entry(group, prior(kind, anchored), published_at, anchored, evidence)
        group_pairs[page_id] = pairs
        for facet, value in pairs:
            groups_with[facet][value].add(group)
    if group is not None:
        end_of_group(group)
    return FacetSets(
        entries,
        keys,
        members,
        {facet: dict(values) for facet, values in groups_with.items()},
        BitMap(mixed),
        BitMap(entries),
        pairs_of,
    )


def _union(sets: dict, values) -> BitMap:
    return BitMap.union(EMPTY, *(sets[v] for v in values if v in sets))


@dataclass
class Matched:
    """What a query's matches leave under its filters."""

    total: int
    facets: dict  # facet -> {value: count of groups}
    passing_groups: BitMap  # groups (of the same versions) that every filter lets through
    passing_entries: set  # of mixed groups, the page ids that every filter lets through


def filter_and_count(sets: FacetSets, page_ids, filters: dict, facet_names) -> Matched:
    """Filters a query's matches (page ids) and counts its facets: a facet counts under every
    filter but its own, in translation groups."""
    entries = sets.entries
    matched_groups = BitMap(entries[i].group for i in page_ids)
    same = matched_groups - sets.mixed
    wanted = {name: values for name, values in filters.items() if values}
    allowed = {name: _union(sets.groups_with.get(name, {}), v) for name, v in wanted.items()}
    passing = same.copy()
    for groups in allowed.values():
        passing &= groups
    facets = {}
    for name in facet_names:
        if name in wanted:
            base = same.copy()
            for other, groups in allowed.items():
                if other != name:
                    base &= groups
        else:
            base = passing
        counts = {}
        if base:
            for value, groups in sets.groups_with.get(name, {}).items():
                count = base.intersection_cardinality(groups)
                if count:
                    counts[value] = count
        facets[name] = counts

    passing_entries = set()
    mixed_matches = [i for i in page_ids if entries[i].group in sets.mixed] if sets.mixed else []
    if mixed_matches:
        passing_entries, counted = _mixed(sets, mixed_matches, wanted)
        for (name, value), count in Counter(p for pairs in counted.values() for p in pairs).items():
            if name in facets:
                facets[name][value] = facets[name].get(value, 0) + count
    mixed_groups = {entries[i].group for i in passing_entries}
    return Matched(len(passing) + len(mixed_groups), facets, passing, passing_entries)


def _mixed(sets: FacetSets, page_ids, wanted: dict):
    """Entry by entry, the old way: the page ids that pass every filter, and per group the
    pairs it counts for."""
    wanted_pairs = {name: {(name, value) for value in values} for name, values in wanted.items()}
    passing, counted = set(), {}
    for page_id in page_ids:
        pairs = sets.pairs_of[page_id]
        failed = []
        if wanted_pairs:
            present = set(pairs)
            failed = [name for name, values in wanted_pairs.items() if present.isdisjoint(values)]
            if len(failed) == 1:  # counts for its own filter's facet only
                pairs = [pair for pair in pairs if pair[0] == failed[0]]
            elif failed:
                continue
        group = sets.entries[page_id].group
        counted.setdefault(group, set()).update(pairs)
        if not failed:
            passing.add(page_id)
    return passing, counted


def ranked_groups(
    sets: FacetSets, rows, matched_ids: BitMap, matched: Matched, sort: str, needed: int
) -> list:
    """The first `needed` groups in the order asked for, as (translation key, score): best
    score, then newest (undated last), then translation key; by most anchored or strongest
    evidence first when asked. `rows` are the matches' (page id, covered, relevance)."""
    entries, passing, passing_entries = (
        sets.entries,
        matched.passing_groups,
        matched.passing_entries,
    )
    scores = {}
    for page_id, covered, relevance in rows:
        entry = entries[page_id]
        group = entry.group
        if group not in passing and page_id not in passing_entries:
            continue
        score = covered * COVERAGE + float(relevance or 0) * entry.prior
        best = scores.get(group)
        if best is None or score > best:
            scores[group] = score
    if sort == "relevance" and len(scores) > needed:
        # Only the groups that can reach the page asked for need their dates and sorting.
        lowest = heapq.nlargest(needed, scores.values())[-1]
        candidates = [group for group, score in scores.items() if score >= lowest]
    else:
        candidates = list(scores)
    ranked = []
    for group in candidates:
        shown = [
            entries[i]
            for i in sets.members[group]
            if i in matched_ids and (group in passing or i in passing_entries)
        ]
        dates = [e.published_at for e in shown if e.published_at is not None]
        ranked.append(
            (
                sets.keys[group],
                scores[group],
                max(dates) if dates else None,
                max(e.anchored for e in shown),
                max(e.evidence for e in shown),
            )
        )
    ranked.sort(key=lambda item: item[0])
    ranked.sort(key=lambda item: (item[2] is not None, item[2] or ""), reverse=True)
    if sort in ("relevance", "anchored", "evidence"):
        ranked.sort(key=lambda item: item[1], reverse=True)
    if sort == "anchored":
        ranked.sort(key=lambda item: item[3], reverse=True)
    if sort == "evidence":
        ranked.sort(key=lambda item: item[4], reverse=True)
    return [(key, score) for key, score, *_rest in ranked[:needed]]

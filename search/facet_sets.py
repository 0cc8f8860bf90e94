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
from array import array
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from pyroaring import BitMap

from .matching import COVERAGE, MAX_PRIOR, prior

EMPTY = BitMap()
NO_GROUP = -1
UNDATED = -(2**63)  # below every date: undated entries sort last
_EPOCH, _MICROSECOND = datetime(1970, 1, 1), timedelta(microseconds=1)


def date_number(text: str | None) -> int:
    """A publication date as read from the index (ISO text, UTC) as microseconds since the
    epoch: the same order, in eight bytes instead of a string."""
    if text is None:
        return UNDATED
    return (datetime.fromisoformat(text).replace(tzinfo=None) - _EPOCH) // _MICROSECOND


@dataclass
class FacetSets:
    """What is kept of each entry is in arrays indexed by page id: a few bytes an entry
    instead of an object (for 30 734 entries, 1.2 MB instead of 6.1)."""

    keys: list = field(default_factory=list)  # group number -> translation key
    # The page ids of group g are member_ids[starts[g]:starts[g + 1]].
    member_ids: array = field(default_factory=lambda: array("I"))
    starts: array = field(default_factory=lambda: array("i", [0]))
    # By page id: its group (NO_GROUP when not indexed), `search.matching.prior` of its type
    # and anchoring, its publication date (`date_number`), anchoring and evidence rank.
    group_of: array = field(default_factory=lambda: array("i"))
    priors: array = field(default_factory=lambda: array("d"))
    dates: array = field(default_factory=lambda: array("q"))
    anchored: array = field(default_factory=lambda: array("i"))
    evidence: array = field(default_factory=lambda: array("b"))
    # facet -> value -> BitMap of the numbers of the groups that have it (in some version)
    groups_with: dict = field(default_factory=dict)
    mixed: BitMap = field(default_factory=BitMap)  # groups whose versions' facet values differ
    page_ids: BitMap = field(default_factory=BitMap)  # every entry
    pairs_of: dict = field(default_factory=dict)  # page id -> its (facet, value) pairs (mixed)
    mixed_pages: BitMap = field(default_factory=BitMap)  # the entries of the mixed groups

    def members(self, group: int) -> array:
        return self.member_ids[self.starts[group] : self.starts[group + 1]]


def build(rows) -> FacetSets:
    """The sets of these entries: each entry's (page id, translation key, publication date as
    text, [(facet, value) ...], anchored, evidence rank), as the backend reads them
    (`backends.database.facet_entries`), the versions of a group one after the other. Built
    row by row: only what is kept is held."""
    sets = FacetSets()
    keys, member_ids, starts = sets.keys, sets.member_ids, sets.starts
    # By position in member_ids, scattered by page id at the end.
    groups, priors, dates = array("i"), array("d"), array("q")
    anchors, evidences = array("i"), array("b")
    group_pairs = {}  # of the group being read: page id -> its facet values
    mixed = []
    groups_with = defaultdict(lambda: defaultdict(BitMap))

    def end_of_group(group):
        if len(group_pairs) > 1 and len({frozenset(p) for p in group_pairs.values()}) > 1:
            mixed.append(group)
            sets.pairs_of.update(group_pairs)
        group_pairs.clear()

    for page_id, key, published_at, pairs, anchored, evidence in rows:
        if not keys or keys[-1] != key:
            if keys:
                end_of_group(len(keys) - 1)
                starts.append(len(member_ids))
            keys.append(key)
        group = len(keys) - 1
        kind = pairs[0][1] if pairs else ""  # the type comes first
        member_ids.append(page_id)
        groups.append(group)
        priors.append(prior(kind, anchored))
        dates.append(date_number(published_at))
        anchors.append(anchored or 0)
        evidences.append(evidence)
        group_pairs[page_id] = pairs
        for facet, value in pairs:
            groups_with[facet][value].add(group)
    if keys:
        end_of_group(len(keys) - 1)
        starts.append(len(member_ids))
    size = max(member_ids) + 1 if member_ids else 0
    sets.group_of = array("i", [NO_GROUP]) * size
    sets.priors = array("d", [0.0]) * size
    sets.dates = array("q", [UNDATED]) * size
    sets.anchored = array("i", [0]) * size
    sets.evidence = array("b", [0]) * size
    for position, page_id in enumerate(member_ids):
        sets.group_of[page_id] = groups[position]
        sets.priors[page_id] = priors[position]
        sets.dates[page_id] = dates[position]
        sets.anchored[page_id] = anchors[position]
        sets.evidence[page_id] = evidences[position]
    sets.groups_with = {facet: dict(values) for facet, values in groups_with.items()}
    sets.mixed = BitMap(mixed)
    sets.mixed_pages = BitMap(sets.pairs_of)
    sets.page_ids = BitMap(member_ids)
    return sets


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
    group_of = sets.group_of
    matched_groups = BitMap(group_of[i] for i in page_ids)
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
    mixed_matches = BitMap(page_ids) & sets.mixed_pages if sets.mixed else EMPTY
    if mixed_matches:
        passing_entries, counted = _mixed(sets, mixed_matches, wanted)
        for (name, value), count in Counter(p for pairs in counted.values() for p in pairs).items():
            if name in facets:
                facets[name][value] = facets[name].get(value, 0) + count
    mixed_groups = {group_of[i] for i in passing_entries}
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
        group = sets.group_of[page_id]
        counted.setdefault(group, set()).update(pairs)
        if not failed:
            passing.add(page_id)
    return passing, counted


def share_passing(sets: FacetSets, filters: dict) -> float:
    """The share of the groups that these filters let through, whatever the query (mixed
    groups counted as passing)."""
    passing = None
    for name, values in filters.items():
        if values:
            allowed = _union(sets.groups_with.get(name, {}), values) | sets.mixed
            passing = allowed if passing is None else passing & allowed
    if passing is None or not sets.keys:
        return 1.0
    return len(passing) / len(sets.keys)


def ranked_groups(
    sets: FacetSets,
    rows,
    matched_ids: BitMap,
    matched: Matched,
    sort: str,
    needed: int,
    complete: bool = True,
) -> list | None:
    """The first `needed` groups in the order asked for, as (translation key, score): best
    score, then newest (undated last), then translation key; by most anchored or strongest
    evidence first when asked. `rows` are the matches' (page id, covered, relevance); when
    not `complete`, they are the best-scored matches only, and None is returned when a match
    left out could still reach the page (its score is at most the lowest row's covered words
    and relevance with the highest prior)."""
    group_of, priors = sets.group_of, sets.priors
    passing, passing_entries = matched.passing_groups, matched.passing_entries
    scores = {}
    for page_id, covered, relevance in rows:
        group = group_of[page_id]
        if group not in passing and page_id not in passing_entries:
            continue
        score = covered * COVERAGE + float(relevance or 0) * priors[page_id]
        best = scores.get(group)
        if best is None or score > best:
            scores[group] = score
    if not complete:
        if not rows:
            return None
        _id, covered, relevance = min(rows, key=lambda row: (row[1], row[2]))
        bound = covered * COVERAGE + relevance * MAX_PRIOR
        if len(scores) < needed or heapq.nlargest(needed, scores.values())[-1] <= bound:
            return None
    if sort == "relevance" and len(scores) > needed:
        # Only the groups that can reach the page asked for need their dates and sorting.
        lowest = heapq.nlargest(needed, scores.values())[-1]
        candidates = [group for group, score in scores.items() if score >= lowest]
    else:
        candidates = list(scores)
    ranked = []
    for group in candidates:
        shown = [
            i
            for i in sets.members(group)
            if i in matched_ids and (group in passing or i in passing_entries)
        ]
        ranked.append(
            (
                sets.keys[group],
                scores[group],
                max(sets.dates[i] for i in shown),
                max(sets.anchored[i] for i in shown),
                max(sets.evidence[i] for i in shown),
            )
        )
    ranked.sort(key=lambda item: item[0])
    ranked.sort(key=lambda item: item[2], reverse=True)
    if sort in ("relevance", "anchored", "evidence"):
        ranked.sort(key=lambda item: item[1], reverse=True)
    if sort == "anchored":
        ranked.sort(key=lambda item: item[3], reverse=True)
    if sort == "evidence":
        ranked.sort(key=lambda item: item[4], reverse=True)
    return [(key, score) for key, score, *_rest in ranked[:needed]]

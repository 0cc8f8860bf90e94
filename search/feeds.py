"""The Atom feed of a search (`?format=atom` on the search page): what a search finds, newest
first, for a feed reader to watch."""

from dataclasses import replace
from functools import reduce
from operator import or_

from django.db.models import Q
from django.http import HttpResponse
from django.utils.feedgenerator import Atom1Feed
from django.utils.html import escape
from django.utils.translation import gettext as _

from .models import SearchEntry
from .params import SearchParams
from .service import search


def search_feed(request, params: SearchParams, page_url: str) -> HttpResponse:
    """The feed of `params`, newest first whatever the sort asked for. `page_url` is the search
    page showing the same results."""
    params = replace(params, sort="newest")
    result = search(params)
    if params.query:
        title = _("“%(query)s”: Democratic Library search") % {"query": params.query}
    else:
        title = _("New in the Democratic Library")
    feed = Atom1Feed(
        title=title,
        link=request.build_absolute_uri(page_url),
        description="",
        language=params.lang,
        feed_url=request.build_absolute_uri(),
    )
    published = published_dates(result.results)
    for hit in result.results:
        url = request.build_absolute_uri(hit.url)
        feed.add_item(
            title=hit.title,
            link=url,
            unique_id=url,
            # Atom's <summary type="html">: the summary is plain text.
            description=escape(hit.summary),
            pubdate=published.get((hit.type, hit.key, hit.locale)),
            updateddate=published.get((hit.type, hit.key, hit.locale)),
        )
    response = HttpResponse(content_type=feed.content_type)
    feed.write(response, "utf-8")
    return response


def published_dates(hits) -> dict:
    """{(type, key, locale): published_at} of the versions shown."""
    if not hits:
        return {}
    versions = reduce(or_, (Q(type=h.type, key=h.key, locale=h.locale) for h in hits))
    rows = SearchEntry.objects.filter(versions).values_list("type", "key", "locale", "published_at")
    return {(kind, key, locale): published for kind, key, locale, published in rows}

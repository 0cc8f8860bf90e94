"""Atom feeds of what is new, per language: /<lang>/feeds/practices.atom and
/<lang>/feeds/case-studies.atom, linked from every page's <head>. Each lists the newest
entries (by when the version shown was first published), each in the version a reader of
that language sees, as the index pages do: an entry not yet translated into Finnish is in the
Finnish feed too, in English or in the first other language a Finnish reader reads."""

from dataclasses import dataclass

from django.contrib.syndication.views import Feed
from django.db.models import Prefetch
from django.utils.feedgenerator import Atom1Feed
from django.utils.html import escape
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from wagtail.models import Locale

from practices.browse import first_shown, show_linked
from practices.models import CaseStudyPage, PracticePage, PracticeTheme
from practices.presentation import index_url

FEED_LENGTH = 30


@dataclass(frozen=True)
class FeedRequest:
    request: object
    locale: Locale


class NewPagesFeed(Feed):
    """The newest live, public pages of one type in the language of the URL."""

    feed_type = Atom1Feed
    model = None
    index_kind = ""  # the index page the feed's link leads to (practices.presentation)

    def get_object(self, request, *args, **kwargs):
        return FeedRequest(request, Locale.objects.get(language_code=get_language()))

    def link(self, obj):
        return index_url(self.index_kind, obj.request) or f"/{obj.locale.language_code}/"

    def feed_url(self, obj):
        return obj.request.build_absolute_uri()

    def pages(self, obj):
        """The pages an entry may show, with what `item_*` reads."""
        return self.model.objects.select_related("library")

    def items(self, obj):
        versions = (
            self.model.objects.live()
            .public()
            .filter(alias_of__isnull=True)
            .exclude(first_published_at__isnull=True)
            .order_by("-first_published_at", "-pk")
        )
        shown = [pk for pk, _count in first_shown(versions, FEED_LENGTH)]
        pages = self.pages(obj).in_bulk(shown)
        items = show_linked([pages[pk] for pk in shown if pk in pages])
        for page in items:
            page.feed_link = page.get_url(obj.request)
        return items

    def item_title(self, item):
        return item.title

    def item_link(self, item):
        return item.feed_link

    def item_description(self, item):
        # Atom's <summary type="html">: the summary is plain text, so it is escaped once more.
        return escape(item.summary)

    def item_pubdate(self, item):
        return item.first_published_at

    def item_updateddate(self, item):
        return item.last_published_at or item.first_published_at

    def item_author_name(self, item):
        return item.library.title if item.library_id and item.library.live else None


class NewPracticesFeed(NewPagesFeed):
    model = PracticePage
    index_kind = "practices"

    def title(self, obj):
        return _("New practices · Democratic Library")

    def subtitle(self, obj):
        return _("Methods of democracy education that libraries have shared, newest first.")

    def pages(self, obj):
        themes = PracticeTheme.objects.select_related("theme").order_by("sort_order")
        return (
            super()
            .pages(obj)
            .select_related("format")
            .prefetch_related(Prefetch("theme_links", queryset=themes))
        )

    def item_categories(self, item):
        return [link.theme.label for link in item.theme_links.all()]


class NewCaseStudiesFeed(NewPagesFeed):
    model = CaseStudyPage
    index_kind = "case-studies"

    def title(self, obj):
        return _("New case studies · Democratic Library")

    def subtitle(self, obj):
        return _("How libraries ran the practices, and how far they took root, newest first.")

    def pages(self, obj):
        return super().pages(obj).prefetch_related("tagged_items__tag")

    def item_categories(self, item):
        return [tagged.tag.name for tagged in item.tagged_items.all()]

"""Factories for the knowledge base's pages. Pages are created published, under the index
page of their locale (English unless `locale=` is given)."""

import datetime
import json

import factory
import wagtail_factories
from django.apps import apps
from wagtail.models import Locale
from wagtail.test.utils.form_data import inline_formset, nested_form_data, streamfield

from practices.models import (
    Audience,
    CaseStudyPage,
    Format,
    LibraryPage,
    MeetingPage,
    PracticeAudience,
    PracticePage,
    PracticeTheme,
    Theme,
)


def locale_for(code_or_locale):
    if isinstance(code_or_locale, Locale):
        return code_or_locale
    return Locale.objects.get(language_code=code_or_locale or "en")


def index_page_for(model_class, locale):
    """The page a new page of `model_class` goes under: its index page in `locale`."""
    index_model = apps.get_model(model_class.parent_page_types[0])
    return index_model.objects.get(locale=locale)


class KnowledgePageFactory(wagtail_factories.PageFactory):
    """Creates the page as a published child of its type's index page in its locale."""

    locale = factory.LazyFunction(lambda: locale_for("en"))

    class Meta:
        abstract = True

    @classmethod
    def _create(cls, model_class, *args, locale=None, parent=None, **kwargs):
        locale = locale_for(locale)
        page = cls._page(model_class, locale, **kwargs)
        (parent or index_page_for(model_class, locale)).add_child(instance=page)
        page.save_revision().publish()
        page.refresh_from_db()
        return page

    @classmethod
    def _page(cls, model_class, locale, **fields):
        """The unsaved page."""
        return model_class(locale=locale, **fields)


class LibraryFactory(KnowledgePageFactory):
    title = factory.Sequence(lambda n: f"Library {n}")
    slug = factory.Sequence(lambda n: f"library-{n}")
    city = "Turku"
    country = "FI"
    partner = True

    class Meta:
        model = LibraryPage


class MeetingFactory(KnowledgePageFactory):
    title = factory.Sequence(lambda n: f"Meeting {n}")
    slug = factory.Sequence(lambda n: f"meeting-{n}")
    kind = "international"
    start_date = datetime.date(2023, 9, 19)
    end_date = datetime.date(2023, 9, 21)
    city = "Valmiera"
    country = "LV"

    class Meta:
        model = MeetingPage


class PracticeFactory(KnowledgePageFactory):
    title = factory.Sequence(lambda n: f"Practice {n}")
    slug = factory.Sequence(lambda n: f"practice-{n}")
    summary = "A method a library can run."
    duration_minutes = 90
    group_size = "10-30"

    class Meta:
        model = PracticePage

    @classmethod
    def _page(cls, model_class, locale, themes=(), audiences=(), format=None, tags=(), **fields):
        if format:
            fields["format"] = Format.objects.get(slug=format, locale=locale)
        page = model_class(locale=locale, **fields)
        page.theme_links = [
            PracticeTheme(theme=Theme.objects.get(slug=s, locale=locale)) for s in themes
        ]
        page.audience_links = [
            PracticeAudience(audience=Audience.objects.get(slug=s, locale=locale))
            for s in audiences
        ]
        if tags:
            page.tags.set(list(tags))
        return page


class CaseStudyFactory(KnowledgePageFactory):
    title = factory.Sequence(lambda n: f"Case study {n}")
    slug = factory.Sequence(lambda n: f"case-study-{n}")
    summary = "How we ran it."
    practice = factory.SubFactory(PracticeFactory)
    library = factory.SubFactory(LibraryFactory)
    date = datetime.date(2024, 3, 1)
    stage = "tried"
    participants = 20

    class Meta:
        model = CaseStudyPage


def translate(page, code, **fields):
    """A published translation of `page` into language `code`, as wagtail-localize makes it."""
    from wagtail_localize.models import TranslationSource

    locale = locale_for(code)
    source, _created = TranslationSource.get_or_create_from_instance(page)
    source.create_or_update_translation(locale, fallback=True)
    translation = page.get_translation(locale).specific
    for name, value in fields.items():
        setattr(translation, name, value)
    translation.save_revision().publish()
    translation.refresh_from_db()
    return translation


# A practice body with every kind of block: two steps (one with rich text) and two sections.
STEPS_AND_SECTIONS = json.dumps(
    [
        {
            "type": "steps",
            "value": [
                {
                    "title": "Set up the room",
                    "duration_minutes": 20,
                    "who": "Two librarians",
                    "description": "<p>Put the chairs in a circle.</p>",
                },
                {
                    "title": "Open the debate",
                    "duration_minutes": 10,
                    "who": "",
                    "description": "<p>Read out the <b>motion</b>.</p>",
                },
            ],
        },
        {
            "type": "section",
            "value": {"kind": "materials", "text": "<p>A bell and name cards.</p>"},
        },
        {
            "type": "section",
            "value": {"kind": "accessibility", "text": "<p>Step-free access.</p>"},
        },
    ]
)


def case_study_form(page, **changes):
    """The edit form of `page` as the admin posts it, with `changes`."""
    data = {
        "title": page.title,
        "slug": page.slug,
        "summary": page.summary,
        "practice": str(page.practice_id or ""),
        "library": str(page.library_id or ""),
        "date": page.date.isoformat(),
        "stage": page.stage,
        "participants": str(page.participants or ""),
        "outcomes": page.outcomes,
        "would_change": page.would_change,
        "body": streamfield([]),
        "tags": "",
        "comments": inline_formset([]),
        "seo_title": "",
        "search_description": "",
    }
    data.update(changes)
    return nested_form_data(data)

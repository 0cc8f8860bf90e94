"""Choosing practices to compare on the practices index, and how a library that is not
signed in joins the ledger from a practice page."""

from dataclasses import dataclass
from urllib.parse import urlencode

from django import template
from django.urls import NoReverseMatch, reverse
from django.utils.translation import get_language

from practices import presentation
from practices.browse import clean_slug, page_labels
from practices.compare import MOST

register = template.Library()


@dataclass(frozen=True)
class CompareChoice:
    keys: list[str]  # the practices already chosen (ticked)
    elsewhere: list[tuple[str, str]]  # (key, title) of those not among the listed cards


@register.simple_tag(takes_context=True)
def compare_choice(context, listed):
    """The practices already chosen for comparison (`?compare=<key>`, as the practice page's
    "Add to comparison" link sets it): valid keys of public practices only, at most four;
    those not among the `listed` cards with their titles in the reader's language."""
    from practices.models import PracticePage

    request = context.get("request")
    params = request.GET.getlist("compare") if request is not None else []
    keys = list(dict.fromkeys(key for key in map(clean_slug, params) if key))[:MOST]
    if not keys:
        return CompareChoice([], [])
    titles = page_labels(PracticePage)(keys, presentation.reader_locale(request), get_language())
    keys = [key for key in keys if key in titles]
    on_page = {item.slug for item in listed}
    return CompareChoice(keys, [(key, titles[key]) for key in keys if key not in on_page])


@register.inclusion_tag("practices/includes/join_ledger.html", takes_context=True)
def join_ledger(context, page):
    """For a visitor who is not signed in: how a library reports that it ran the practice.
    Partners sign in and use "Adapt this method for my library"; other libraries write to
    the practice's contact, or find the network's libraries."""
    request = context.get("request")
    user = getattr(request, "user", None)
    if user is not None and user.is_authenticated:
        return {"show": False}
    return {
        "show": True,
        "sign_in_url": f"{reverse('wagtailadmin_login')}?{urlencode({'next': page.url or '/'})}",
        "contact_url": _contact_url(page),
        "libraries_url": presentation.index_url("libraries", request),
    }


def _contact_url(page) -> str:
    if not getattr(page, "has_contact", False):
        return ""
    try:
        return reverse("contact", args=[page.pk])
    except NoReverseMatch:
        return ""

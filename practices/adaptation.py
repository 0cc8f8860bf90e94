""" "Adapt this method for my library": from a practice page, a partner editor starts a draft
case study of their library running that practice, and lands in the editor to tell the story.

The case study goes under the case-study index of the library's own language (the language
its page was first written in), points at the practice's version in that language when there
is one, and starts as a draft at stage "tried", dated today. It goes live only through the
"Network review" workflow, like anything else a partner writes."""

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect
from django.utils import timezone, translation
from django.utils.text import slugify
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST
from wagtail.admin import messages
from wagtail.log_actions import log

from practices.choices import Stage
from practices.models import CaseStudyIndexPage, CaseStudyPage, LibraryPage, PracticePage
from practices.roles import roles_of


def adaptation_libraries(user) -> list[LibraryPage]:
    """The libraries `user` may adapt a practice for: theirs, each in its original language.
    Empty unless they are a partner editor or a moderator."""
    roles = roles_of(user)
    if not (roles.partner or roles.moderator):
        return []
    originals = {}
    for library in LibraryPage.objects.filter(slug__in=roles.library_keys).order_by("pk"):
        originals.setdefault(library.slug, library)
    return sorted(originals.values(), key=lambda library: library.title)


def adaptation_title(practice_title: str, library_name: str, language_code: str) -> str:
    with translation.override(language_code):
        title = _("%(practice)s in %(library)s") % {
            "practice": practice_title,
            "library": library_name,
        }
    return title[:255]  # a page title's length


def _unique_slug(parent, title: str) -> str:
    base = slugify(title)[:200] or "case-study"
    taken = set(parent.get_children().values_list("slug", flat=True))
    slug, number = base, 2
    while slug in taken:
        slug = f"{base}-{number}"
        number += 1
    return slug


def _practice_in(practice: PracticePage, locale) -> PracticePage:
    """The practice's live version in `locale`, or the practice itself when it has none."""
    return (
        PracticePage.objects.live()
        .filter(translation_key=practice.translation_key, locale=locale)
        .first()
        or practice
    )


def create_adaptation(practice: PracticePage, library: LibraryPage, user) -> CaseStudyPage:
    """A draft case study of `library` running `practice`, owned by `user`."""
    locale = library.locale
    index = CaseStudyIndexPage.objects.filter(locale=locale).first()
    if index is None:
        raise Http404(_("This language has no case-study index page."))
    if not index.permissions_for_user(user).can_add_subpage():
        raise PermissionDenied

    practice_here = _practice_in(practice, locale)
    title = adaptation_title(practice_here.title, library.name, locale.language_code)
    case_study = CaseStudyPage(
        title=title,
        slug=_unique_slug(index, title),
        locale=locale,
        practice=practice_here,
        library=library,
        date=timezone.localdate(),
        stage=Stage.TRIED,
        owner=user,
        live=False,
    )
    with transaction.atomic():
        index.add_child(instance=case_study)
        case_study.save_revision(user=user, log_action=False)
        log(instance=case_study, action="wagtail.create", user=user)
    return case_study


@require_POST
def adapt_practice(request, practice_id: int):
    practice = get_object_or_404(PracticePage.objects.live(), pk=practice_id)
    libraries = adaptation_libraries(request.user)
    if not libraries:
        raise PermissionDenied

    chosen_key = request.POST.get("library")
    if chosen_key:
        library = next((lib for lib in libraries if lib.slug == chosen_key), None)
        if library is None:
            raise PermissionDenied
    elif len(libraries) == 1:
        library = libraries[0]
    else:
        messages.error(request, _("Choose the library you are adapting this practice for."))
        return redirect(practice.get_url(request) or "/")

    case_study = create_adaptation(practice, library, request.user)
    messages.success(
        request,
        _("A draft case study of %(library)s running this practice: tell how it went.")
        % {"library": library.name},
    )
    return redirect("wagtailadmin_pages:edit", case_study.pk)

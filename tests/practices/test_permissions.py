"""Who may do what to practices and case studies, through the real admin URLs.

The matrix is role × action × (a page of the user's own library, or of another library);
each cell names what must happen, and the test checks the HTTP answer and the database."""

import datetime

import pytest
from django.urls import resolve, reverse
from wagtail.models import Locale, Page
from wagtail.test.utils.form_data import inline_formset, nested_form_data, streamfield
from wagtail_localize.models import Translation, TranslationSource
from wagtail_localize.operations import translate_object

from practices.models import CaseStudyIndexPage, CaseStudyPage, PracticeIndexPage
from practices.roles import grant_role, setup_roles
from tests.factories import (
    CaseStudyFactory,
    LibraryFactory,
    PracticeFactory,
    case_study_form,
    translate,
)

pytestmark = pytest.mark.django_db

ALLOWED, REFUSED = "allowed", "refused"


# The network: two partner libraries and a user of each role in the first ----------------


@pytest.fixture
def network(db, settings):
    # The settings line this feature asks for: new translations start as drafts.
    settings.WAGTAILLOCALIZE_SYNC_LIVE_STATUS_ON_TRANSLATE = False
    setup_roles()
    turku = LibraryFactory(slug="turku", title="Turku City Library")
    valmiera = LibraryFactory(slug="valmiera", title="Valmiera Library", country="LV")
    users = {
        role: grant_role(f"{role}-turku", f"{role}@turku.example", role, "turku").user
        for role in ("partner", "translator", "moderator")
    }
    users["other partner"] = grant_role(
        "partner-valmiera", "partner@valmiera.example", "partner", "valmiera"
    ).user
    return {"turku": turku, "valmiera": valmiera, **users}


def case_study(library, live=True, **fields):
    page = CaseStudyFactory(library=library, **fields)
    if not live:
        page.unpublish()
        page.refresh_from_db()
    return page


def synced_translation(page, language_code):
    """A translation as wagtail-localize's "Translate this page" makes it: a draft, edited in
    the translation editor."""
    translate_object(page, [Locale.objects.get(language_code=language_code)])
    return page.get_translation(Locale.objects.get(language_code=language_code)).specific


def admin_url(name, *args):
    return reverse(f"wagtailadmin_pages:{name}", args=args)


def was_refused(response) -> bool:
    """Wagtail's admin answers a PermissionDenied with a redirect to the dashboard and a
    "you do not have permission" message (or a bare 403 for some views)."""
    return response.status_code == 403 or (
        response.status_code == 302 and response.url == reverse("wagtailadmin_home")
    )


def outcome(response, done: bool, refused_also=()) -> str:
    """ALLOWED when the action took effect, REFUSED when the view refused it; anything else
    (say, a 200 that changed nothing) fails the test."""
    if done:
        return ALLOWED
    assert was_refused(response) or response.status_code in refused_also, (
        response.status_code,
        response,
    )
    return REFUSED


# One function per action: it does the action as the logged-in user and says what happened.


def do_add(client, library, commit):
    index = CaseStudyIndexPage.objects.get(locale__language_code="en")
    practice = PracticeFactory()
    url = admin_url("add", "practices", "casestudypage", index.pk)
    page = CaseStudyPage(
        title="Our debate night",
        slug="our-debate-night",
        practice=practice,
        library=library,
        date=datetime.date(2024, 5, 1),
        stage="tried",
        participants=12,
    )
    response = client.post(url, case_study_form(page))
    created = CaseStudyPage.objects.filter(slug="our-debate-night").first()
    if created is not None:
        assert not created.live
    # Translators are turned back to the explorer with a message: a redirect, no page.
    return outcome(response, created is not None, refused_also=(302,))


def do_edit(client, library, commit):
    page = case_study(library)
    response = client.post(admin_url("edit", page.pk), case_study_form(page, title="Edited"))
    page.refresh_from_db()
    return outcome(response, page.get_latest_revision().content["title"] == "Edited")


def do_submit(client, library, commit):
    page = case_study(library, live=False)
    response = client.post(
        admin_url("edit", page.pk), case_study_form(page, **{"action-submit": "1"})
    )
    page.refresh_from_db()
    return outcome(response, page.workflow_in_progress)


def do_publish(client, library, commit):
    page = case_study(library, live=False)
    response = client.post(
        admin_url("edit", page.pk), case_study_form(page, **{"action-publish": "1"})
    )
    page.refresh_from_db()
    # A partner's publish falls back to saving a draft (302): it is the page that tells.
    return outcome(response, page.live, refused_also=(302,))


def do_bulk_publish(client, library, commit):
    page = case_study(library, live=False)
    url = reverse("wagtail_bulk_action", args=["wagtailcore", "page", "publish"]) + f"?id={page.pk}"
    response = client.post(url, {"include_descendants": ""})
    page.refresh_from_db()
    return outcome(response, page.live, refused_also=(200, 302))


def do_delete(client, library, commit):
    page = case_study(library, live=False)
    response = client.post(admin_url("delete", page.pk))
    return outcome(response, not CaseStudyPage.objects.filter(pk=page.pk).exists())


def do_unpublish(client, library, commit):
    page = case_study(library)
    response = client.post(admin_url("unpublish", page.pk))
    page.refresh_from_db()
    return outcome(response, not page.live)


def do_copy(client, library, commit):
    page = case_study(library)
    response = client.post(
        admin_url("copy", page.pk),
        {"new_title": "A copy", "new_slug": "a-copy", "new_parent_page": page.get_parent().pk},
    )
    copied = CaseStudyPage.objects.filter(slug="a-copy").first()
    if copied is not None:
        assert not copied.live and copied.library_id == library.pk
    return outcome(response, copied is not None)


def do_move(client, library, commit):
    page = case_study(library, live=False)
    response = client.get(admin_url("move", page.pk))
    return outcome(response, response.status_code == 200)


def all_or_nothing(responses) -> bool:
    """Every door open (True) or every door shut (False), never a mix."""
    refused = {was_refused(response) for response in responses}
    assert len(refused) == 1, [(r.status_code, getattr(r, "url", "")) for r in responses]
    return not refused.pop()


def do_history(client, library, commit):
    page = case_study(library)
    first = page.get_latest_revision()
    page.save_revision().publish()
    urls = [
        admin_url("history", page.pk),
        admin_url("revisions_view", page.pk, first.pk),
        admin_url("revisions_revert", page.pk, first.pk),
        reverse("wagtailadmin_pages:revisions_compare", args=[page.pk, "earliest", "latest"]),
        admin_url("workflow_history", page.pk),
    ]
    responses = [client.get(url) for url in urls]
    return outcome(responses[0], all_or_nothing(responses))


def do_preview(client, library, commit):
    page = case_study(library)
    preview_url = admin_url("preview_on_edit", page.pk)
    responses = [
        client.post(preview_url, case_study_form(page, title="Previewed")),
        client.get(preview_url),
        client.get(admin_url("view_draft", page.pk)),
    ]
    return outcome(responses[0], all_or_nothing(responses))


def do_translate(client, library, commit):
    page = case_study(library)
    finnish = Locale.objects.get(language_code="fi")
    url = reverse("wagtail_localize:submit_page_translation", args=[page.pk])
    response = client.post(url, {"locales": [finnish.pk]})
    translation = page.get_translation_or_none(finnish)
    if translation is not None:
        assert not translation.live
    return outcome(response, translation is not None)


def do_edit_translation(client, library, commit):
    finnish = synced_translation(case_study(library), "fi")
    response = client.get(admin_url("edit", finnish.pk))
    if response.status_code == 200:
        assert "wagtail_localize/admin/edit_translation.html" in [
            t.name for t in response.templates
        ]
    return outcome(response, response.status_code == 200)


def do_publish_translation(client, library, commit):
    finnish = synced_translation(case_study(library), "fi")
    assert not finnish.live
    with commit(execute=True):  # wagtail-localize publishes once the transaction commits
        response = client.post(admin_url("edit", finnish.pk), {"action": "publish"})
    finnish.refresh_from_db()
    return outcome(response, finnish.live)


ACTIONS = {
    "add": do_add,
    "edit": do_edit,
    "submit for moderation": do_submit,
    "publish": do_publish,
    "bulk publish": do_bulk_publish,
    "delete a draft": do_delete,
    "unpublish": do_unpublish,
    "copy": do_copy,
    "move": do_move,
    "view history and revisions": do_history,
    "preview": do_preview,
    "translate": do_translate,
    "edit a translation": do_edit_translation,
    "publish a translation": do_publish_translation,
}

A, R = ALLOWED, REFUSED
# action: (partner own, partner other, translator own, translator other, moderator own, other)
MATRIX = {
    "add": (A, R, R, R, A, A),
    "edit": (A, R, R, R, A, A),
    "submit for moderation": (A, R, R, R, A, A),
    "publish": (R, R, R, R, A, A),
    "bulk publish": (R, R, R, R, A, A),
    "delete a draft": (A, R, R, R, A, A),
    "unpublish": (A, R, R, R, A, A),
    "copy": (A, R, R, R, A, A),
    "move": (A, R, R, R, A, A),
    "view history and revisions": (A, R, R, R, A, A),
    "preview": (A, R, R, R, A, A),
    "translate": (R, R, A, A, A, A),
    "edit a translation": (A, R, A, A, A, A),
    "publish a translation": (R, R, R, R, A, A),
}
COLUMNS = [
    (role, whose)
    for role in ("partner", "translator", "moderator")
    for whose in ("own library", "other library")
]
CELLS = [
    pytest.param(role, action, whose, expected, id=f"{role}-{action}-{whose}")
    for action, row in MATRIX.items()
    for (role, whose), expected in zip(COLUMNS, row, strict=True)
]


@pytest.mark.parametrize("role, action, whose, expected", CELLS)
def test_permission_matrix(
    client, network, django_capture_on_commit_callbacks, role, action, whose, expected
):
    library = network["turku"] if whose == "own library" else network["valmiera"]
    client.force_login(network[role])

    assert ACTIONS[action](client, library, django_capture_on_commit_callbacks) == expected


# Beyond the matrix: the edges Wagtail's own fixes were about ------------------------------


def test_a_partner_cannot_hand_their_page_to_another_library(client, network):
    page = case_study(network["turku"])
    client.force_login(network["partner"])

    response = client.post(
        admin_url("edit", page.pk), case_study_form(page, library=str(network["valmiera"].pk))
    )

    assert was_refused(response)
    page.refresh_from_db()
    assert page.get_latest_revision().content["library"] == network["turku"].pk


def test_a_partners_new_page_starts_as_their_librarys(client, network):
    index = CaseStudyIndexPage.objects.get(locale__language_code="en")
    client.force_login(network["partner"])

    response = client.get(admin_url("add", "practices", "casestudypage", index.pk))

    assert response.status_code == 200
    assert response.context["form"].initial["library"] == network["turku"].pk


def test_a_partner_who_leaves_the_library_empty_gets_their_own(client, network):
    index = CaseStudyIndexPage.objects.get(locale__language_code="en")
    page = CaseStudyPage(
        title="Quiz night",
        slug="quiz-night",
        practice=PracticeFactory(),
        library=None,
        date=datetime.date(2024, 5, 1),
        stage="tried",
    )
    client.force_login(network["partner"])

    client.post(admin_url("add", "practices", "casestudypage", index.pk), case_study_form(page))

    assert CaseStudyPage.objects.get(slug="quiz-night").library == network["turku"]


def test_a_partner_without_a_library_cannot_create_pages(client, network):
    lonely = grant_role("lonely", "lonely@example.org", "partner", None).user
    index = PracticeIndexPage.objects.get(locale__language_code="en")
    client.force_login(lonely)

    response = client.get(admin_url("add", "practices", "practicepage", index.pk))

    assert response.status_code == 302


def test_a_partner_can_edit_their_librarys_practice_in_every_language(network):
    practice = PracticeFactory(library=network["turku"])
    finnish = translate(practice, "fi", title="Väittely")
    others = PracticeFactory(library=network["valmiera"])

    partner = network["partner"]
    assert practice.permissions_for_user(partner).can_edit()
    assert finnish.permissions_for_user(partner).can_edit()
    assert not others.permissions_for_user(partner).can_edit()


def test_ownership_follows_the_original_not_the_translations_own_library_field(network):
    page = case_study(network["valmiera"])
    finnish = translate(page, "fi", title="Käännös")
    # Someone points the Finnish version at Turku: it stays Valmiera's.
    CaseStudyPage.objects.filter(pk=finnish.pk).update(library=network["turku"])

    assert not Page.objects.get(pk=finnish.pk).permissions_for_user(network["partner"]).can_edit()


def test_a_draft_cannot_move_a_page_to_another_library(network):
    page = case_study(network["valmiera"])
    revision_with_turku = page.specific
    revision_with_turku.library = network["turku"]
    revision_with_turku.save_revision()

    draft = page.get_latest_revision_as_object()
    assert draft.library == network["turku"]
    assert not draft.permissions_for_user(network["partner"]).can_edit()


def test_a_partner_cannot_delete_or_move_their_live_page_but_can_unpublish_it(network):
    perms = case_study(network["turku"]).permissions_for_user(network["partner"])

    assert not perms.can_delete() and not perms.can_move()
    assert perms.can_unpublish()


def test_a_partner_cannot_move_a_page_to_another_language(client, network):
    page = case_study(network["turku"], live=False)
    finnish_index = CaseStudyIndexPage.objects.get(locale__language_code="fi")
    client.force_login(network["partner"])

    response = client.post(admin_url("move_confirm", page.pk, finnish_index.pk))

    assert was_refused(response)
    assert page.get_parent().specific.locale.language_code == "en"


def test_a_moderator_can_move_a_page(client, network):
    page = case_study(network["turku"], live=False)
    english_index = page.get_parent()
    client.force_login(network["moderator"])

    response = client.get(admin_url("move_confirm", page.pk, english_index.pk))

    assert response.status_code == 200


def test_translators_edit_translations_but_not_originals(network):
    page = case_study(network["valmiera"])
    finnish = translate(page, "fi", title="Käännös")
    translator = network["translator"]

    assert finnish.permissions_for_user(translator).can_edit()
    assert not finnish.permissions_for_user(translator).can_publish()
    assert not page.permissions_for_user(translator).can_edit()
    assert not finnish.permissions_for_user(translator).can_copy()
    assert not finnish.permissions_for_user(translator).can_delete()


def test_translators_cannot_create_pages(client, network):
    index = PracticeIndexPage.objects.get(locale__language_code="fi")
    client.force_login(network["translator"])

    response = client.get(admin_url("add", "practices", "practicepage", index.pk))

    assert response.status_code == 302
    assert response.url == reverse("wagtailadmin_explore", args=[index.pk])


def test_translators_string_edits_reach_the_translation_editor_but_not_the_site(client, network):
    page = case_study(network["valmiera"], summary="How we ran it.")
    finnish = synced_translation(page, "fi")
    translation = Translation.objects.get(
        source__object_id=page.translation_key, target_locale=finnish.locale
    )
    segment = translation.source.stringsegment_set.get(string__data="How we ran it.")
    client.force_login(network["translator"])

    response = client.put(
        reverse("wagtail_localize:edit_string_translation", args=[translation.pk, segment.pk]),
        data="value=Miten+sen+teimme.",
        content_type="application/x-www-form-urlencoded",
    )

    assert response.status_code in (200, 201)
    assert (
        translation.source.stringsegment_set.get(pk=segment.pk)
        .string.translations.filter(locale=finnish.locale, data="Miten sen teimme.")
        .exists()
    )
    finnish.refresh_from_db()
    assert not finnish.live


def test_partners_cannot_start_translations(client, network):
    page = case_study(network["turku"])
    client.force_login(network["partner"])

    response = client.get(reverse("wagtail_localize:submit_page_translation", args=[page.pk]))

    assert was_refused(response)


def test_translators_cannot_translate_outside_their_sections(client, network):
    meeting_index = Page.objects.get(
        locale__language_code="en", content_type__model="meetingindexpage"
    )
    client.force_login(network["translator"])

    response = client.get(
        reverse("wagtail_localize:submit_page_translation", args=[meeting_index.pk])
    )

    assert was_refused(response)


def test_translation_urls_go_through_the_permission_checks():
    page_url = reverse("wagtail_localize:submit_page_translation", args=[1])
    update_url = reverse("wagtail_localize:update_translations", args=[1])
    snippet_url = reverse(
        "wagtail_localize:submit_snippet_translation", args=["practices", "theme", "1"]
    )

    assert resolve(page_url).func.view_class.__module__ == "practices.wagtail_hooks"
    assert resolve(update_url).func.view_class.__module__ == "practices.wagtail_hooks"
    assert resolve(snippet_url).func.view_class.__module__ == "practices.wagtail_hooks"


def test_without_the_draft_setting_translators_cannot_submit_live_pages(client, network, settings):
    settings.WAGTAILLOCALIZE_SYNC_LIVE_STATUS_ON_TRANSLATE = True
    page = case_study(network["valmiera"])
    client.force_login(network["translator"])

    response = client.post(
        reverse("wagtail_localize:submit_page_translation", args=[page.pk]),
        {"locales": [Locale.objects.get(language_code="fi").pk]},
    )

    assert was_refused(response)
    assert not CaseStudyPage.objects.filter(locale__language_code="fi").exists()


def test_syncing_translations_cannot_publish_them_for_a_translator(client, network):
    page = case_study(network["valmiera"])
    finnish = synced_translation(page, "fi")
    source = TranslationSource.objects.get(object_id=page.translation_key)
    url = reverse("wagtail_localize:update_translations", args=[source.pk])
    client.force_login(network["translator"])

    assert client.get(url).status_code == 200
    response = client.post(url, {"publish_translations": "on"})

    assert was_refused(response)
    finnish.refresh_from_db()
    assert not finnish.live


def test_explorer_shows_a_partner_only_their_librarys_case_studies(client, network):
    own = case_study(network["turku"], title="Turku reads")
    other = case_study(network["valmiera"], title="Valmiera reads")
    client.force_login(network["partner"])

    html = client.get(reverse("wagtailadmin_explore", args=[own.get_parent().pk])).content.decode()

    assert "Turku reads" in html and admin_url("edit", own.pk) in html
    assert "Valmiera reads" not in html and admin_url("edit", other.pk) not in html


def test_explorer_shows_translators_originals_without_edit_links(client, network):
    original = case_study(network["valmiera"], title="Valmiera reads")
    client.force_login(network["translator"])

    html = client.get(
        reverse("wagtailadmin_explore", args=[original.get_parent().pk])
    ).content.decode()

    assert "Valmiera reads" in html
    assert admin_url("edit", original.pk) not in html
    assert reverse("wagtail_localize:submit_page_translation", args=[original.pk]) in html


def test_the_library_chooser_offers_a_partner_only_their_library(client, network):
    client.force_login(network["partner"])
    library_index = network["turku"].get_parent()

    response = client.get(
        reverse("wagtailadmin_choose_page_child", args=[library_index.pk]),
        {"page_type": "practices.librarypage"},
    )

    html = response.json()["html"]
    assert "Turku City Library" in html and "Valmiera Library" not in html


def test_the_practice_chooser_offers_every_librarys_practices(client, network):
    PracticeFactory(title="Valmiera's method", library=network["valmiera"])
    index = PracticeIndexPage.objects.get(locale__language_code="en")
    client.force_login(network["partner"])

    response = client.get(
        reverse("wagtailadmin_choose_page_child", args=[index.pk]),
        {"page_type": "practices.practicepage"},
    )

    assert "Valmiera&#x27;s method" in response.json()["html"]


def test_chooser_search_offers_only_allowed_destinations(client, network):
    client.force_login(network["partner"])
    search_url = reverse("wagtailadmin_choose_page_search")

    linking = client.get(search_url, {"q": "Library"}).content.decode()
    copying = client.get(search_url, {"q": "Library", "user_perms": "copy_to"}).content.decode()

    assert "Valmiera Library" in linking  # any page may be linked to
    assert "Valmiera Library" not in copying  # but pages go only where the partner may add


def test_moderators_see_everything_in_the_explorer(client, network):
    other = case_study(network["valmiera"], title="Valmiera reads")
    client.force_login(network["moderator"])

    html = client.get(
        reverse("wagtailadmin_explore", args=[other.get_parent().pk])
    ).content.decode()

    assert admin_url("edit", other.pk) in html


def test_partners_cannot_edit_the_index_pages(client, network):
    index = PracticeIndexPage.objects.get(locale__language_code="en")
    client.force_login(network["partner"])

    assert was_refused(client.get(admin_url("edit", index.pk)))


def test_partners_cannot_touch_meetings_or_libraries(network):
    partner = network["partner"]

    assert not network["turku"].permissions_for_user(partner).can_edit()
    assert not network["turku"].get_parent().permissions_for_user(partner).can_add_subpage()


def test_translators_edit_only_translated_vocabulary_terms(client, network):
    from practices.models import Theme

    english = Theme.objects.get(slug="elections", locale__language_code="en")
    finnish = Theme.objects.get(slug="elections", locale__language_code="fi")
    client.force_login(network["translator"])

    assert was_refused(
        client.get(reverse("wagtailsnippets_practices_theme:edit", args=[english.pk]))
    )
    assert (
        client.get(reverse("wagtailsnippets_practices_theme:edit", args=[finnish.pk])).status_code
        == 200
    )
    assert was_refused(client.get(reverse("wagtailsnippets_practices_theme:add")))


def test_moderators_edit_vocabulary_terms(client, network):
    from practices.models import Theme

    english = Theme.objects.get(slug="elections", locale__language_code="en")
    client.force_login(network["moderator"])

    assert (
        client.get(reverse("wagtailsnippets_practices_theme:edit", args=[english.pk])).status_code
        == 200
    )


def test_partners_may_upload_images_and_documents(network):
    from wagtail.documents import get_document_model
    from wagtail.images import get_image_model
    from wagtail.permissions import policy_registry

    images = policy_registry.get_by_type(get_image_model())
    documents = policy_registry.get_by_type(get_document_model())

    assert images.user_has_permission(network["partner"], "add")
    assert documents.user_has_permission(network["partner"], "add")
    assert not images.user_has_permission(network["translator"], "add")


def test_the_public_api_does_not_show_drafts(client, network):
    draft = case_study(network["turku"], live=False)

    response = client.get(f"/api/v1/case-studies/{draft.slug}")

    assert response.status_code == 404


def practice_form(page, **changes):
    from practices.models import Theme

    theme = Theme.objects.get(slug="elections", locale=page.locale)
    data = {
        "title": page.title,
        "slug": page.slug,
        "summary": page.summary,
        "purpose": "",
        "body": streamfield([]),
        "duration_minutes": "90",
        "group_size": "10-30",
        "preparation_minutes": "",
        "cost_band": "",
        "staff_needed": "",
        "theme_links": inline_formset([{"theme": str(theme.pk)}], min=1),
        "audience_links": inline_formset([]),
        "materials": inline_formset([]),
        "format": "",
        "tags": "",
        "library": str(page.library_id or ""),
        "meeting": "",
        "image": "",
        "licence": page.licence,
        "contact_name": "",
        "contact_email": "",
        "comments": inline_formset([]),
    }
    data.update(changes)
    return nested_form_data(data)


@pytest.mark.parametrize("whose, expected", [("turku", ALLOWED), ("valmiera", REFUSED)])
def test_practice_pages_follow_the_same_rules(client, network, whose, expected):
    practice = PracticeFactory(library=network[whose], themes=["elections"])
    client.force_login(network["partner"])

    edited = client.post(admin_url("edit", practice.pk), practice_form(practice, title="Edited"))
    practice.refresh_from_db()
    responses = [
        edited,
        client.get(admin_url("history", practice.pk)),
        client.get(admin_url("view_draft", practice.pk)),
        client.get(admin_url("copy", practice.pk)),
    ]

    assert outcome(edited, all_or_nothing(responses)) == expected
    assert (practice.get_latest_revision().content["title"] == "Edited") == (expected == ALLOWED)
    assert practice.title != "Edited"  # the live page: a partner's edit is only a draft

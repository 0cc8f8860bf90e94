"""A partner editor sees in the admin what she may edit (her library's pages) and what is
public, and never the title of another library's unpublished or private page: not in the
explorer and its search, the page chooser, the admin API, site history, a bulk-action
confirmation or the translation status board and its CSV. Moderators see everything."""

import pytest
from django.urls import reverse
from wagtail.models import PageLogEntry, PageViewRestriction

from practices.models import CaseStudyIndexPage, PracticeIndexPage
from practices.roles import grant_role, setup_roles
from tests.factories import CaseStudyFactory, LibraryFactory, PracticeFactory

pytestmark = pytest.mark.django_db

SECRET = "Secret Valmiera draft"
PRIVATE = "Private Valmiera method"
PUBLIC = "Public Valmiera method"
OWN_DRAFT = "Turku draft in progress"


def draft(page):
    page.unpublish()
    page.refresh_from_db()
    return page


@pytest.fixture
def network(db):
    setup_roles()
    turku = LibraryFactory(slug="turku", title="Turku City Library")
    valmiera = LibraryFactory(slug="valmiera", title="Valmiera Library", country="LV")
    partner = grant_role("partner-turku", "partner@turku.example", "partner", "turku").user
    moderator = grant_role("moderator", "moderator@turku.example", "moderator", "turku").user
    pages = {
        SECRET: draft(PracticeFactory(title=SECRET, library=valmiera)),
        PRIVATE: PracticeFactory(title=PRIVATE, library=valmiera),
        PUBLIC: PracticeFactory(title=PUBLIC, library=valmiera),
        OWN_DRAFT: draft(PracticeFactory(title=OWN_DRAFT, library=turku)),
    }
    PageViewRestriction.objects.create(
        page=pages[PRIVATE], restriction_type=PageViewRestriction.PASSWORD, password="board"
    )
    pages["secret case study"] = draft(
        CaseStudyFactory(title="Secret Valmiera case", library=valmiera, practice=pages[PUBLIC])
    )
    for page in pages.values():
        PageLogEntry.objects.log_action(instance=page, action="wagtail.edit", user=moderator)
    return {"partner": partner, "moderator": moderator, "pages": pages}


@pytest.fixture
def partner(client, network):
    client.force_login(network["partner"])
    return client


def text(response) -> str:
    assert response.status_code == 200, response.status_code
    return response.content.decode()


def assert_public_and_own_only(content: str, own_draft: bool = True):
    assert PUBLIC in content
    assert SECRET not in content
    assert PRIVATE not in content
    assert "Secret Valmiera case" not in content
    if own_draft:
        assert OWN_DRAFT in content


def test_admin_search(partner):
    content = text(partner.get(reverse("wagtailadmin_pages:search"), {"q": "Valmiera"}))
    assert_public_and_own_only(content, own_draft=False)
    assert OWN_DRAFT in text(partner.get(reverse("wagtailadmin_pages:search"), {"q": "Turku"}))


def test_page_chooser_search_and_browse(partner):
    found = partner.get(reverse("wagtailadmin_choose_page_search"), {"q": "Valmiera"})
    assert_public_and_own_only(text(found), own_draft=False)

    index = PracticeIndexPage.objects.get(locale__language_code="en")
    assert_public_and_own_only(
        text(partner.get(reverse("wagtailadmin_choose_page_child", args=[index.pk])))
    )


def test_admin_api(partner, network):
    index = PracticeIndexPage.objects.get(locale__language_code="en")
    listing = partner.get("/admin/api/main/pages/", {"child_of": index.pk})
    titles = [item["title"] for item in listing.json()["items"]]
    assert PUBLIC in titles and OWN_DRAFT in titles
    assert SECRET not in titles and PRIVATE not in titles

    secret = network["pages"][SECRET]
    assert partner.get(f"/admin/api/main/pages/{secret.pk}/").status_code == 404


def test_the_explorer_of_another_librarys_draft_is_not_found(partner, network):
    secret = network["pages"][SECRET]
    own = network["pages"][OWN_DRAFT]

    response = partner.get(reverse("wagtailadmin_explore", args=[secret.pk]))
    assert response.status_code == 404
    assert SECRET not in response.content.decode()
    assert partner.get(reverse("wagtailadmin_explore", args=[own.pk])).status_code == 200
    public = network["pages"][PUBLIC]
    assert partner.get(reverse("wagtailadmin_explore", args=[public.pk])).status_code == 200


def test_the_bulk_delete_confirmation_counts_what_it_does_not_name(partner, network):
    pages = network["pages"]
    ids = [pages[name].pk for name in (SECRET, PRIVATE, PUBLIC, OWN_DRAFT)]
    url = reverse("wagtail_bulk_action", args=("wagtailcore", "page", "delete"))

    content = text(partner.get(url, {"id": ids}))

    assert_public_and_own_only(content)
    assert "2 unpublished pages of other libraries" in content


def test_site_history(partner):
    assert_public_and_own_only(text(partner.get(reverse("wagtailadmin_reports:site_history"))))


def test_translation_status_board_and_its_spreadsheet(partner):
    url = reverse("kb_translation_board")
    assert_public_and_own_only(text(partner.get(url)))
    assert_public_and_own_only(text(partner.get(url, {"export": "csv"})))


def test_a_moderator_still_sees_everything(client, network):
    client.force_login(network["moderator"])

    content = text(client.get(reverse("wagtailadmin_pages:search"), {"q": "Valmiera"}))
    board = text(client.get(reverse("kb_translation_board")))

    for title in (SECRET, PRIVATE, PUBLIC):
        assert title in content
        assert title in board


def test_case_study_index_shows_the_partner_her_own_work(partner, network):
    index = CaseStudyIndexPage.objects.get(locale__language_code="en")
    content = text(partner.get(reverse("wagtailadmin_explore", args=[index.pk])))
    assert "Secret Valmiera case" not in content


def test_the_library_chooser_offers_each_library_once_in_the_editors_language(client, network):
    from tests.factories import translate

    hiiumaa = LibraryFactory(slug="hiiumaa", title="Hiiumaa Central Library", country="EE")
    for code in ("fi", "lv", "et", "da", "sv"):
        translate(hiiumaa, code, title=f"Hiiumaa ({code})")
    client.force_login(network["moderator"])
    chooser = reverse("wagtailadmin_choose_page_search")

    english = text(client.get(chooser, {"page_type": "practices.librarypage", "q": "Hiiumaa"}))
    assert english.count("Hiiumaa Central Library") == english.count("Hiiumaa") > 0

    from wagtail.users.models import UserProfile

    profile = UserProfile.get_for_user(network["moderator"])
    profile.preferred_language = "fi"
    profile.save()
    finnish = text(client.get(chooser, {"page_type": "practices.librarypage", "q": "Hiiumaa"}))
    assert "Hiiumaa (fi)" in finnish
    assert "Hiiumaa Central Library" not in finnish and "Hiiumaa (et)" not in finnish


def new_case_study_form(slug, practice, library):
    import datetime

    from practices.models import CaseStudyPage
    from tests.factories import case_study_form

    page = CaseStudyPage(
        title="Our debate night",
        slug=slug,
        practice=practice,
        library=library,
        date=datetime.date(2024, 5, 1),
        stage="tried",
        participants=12,
    )
    return case_study_form(page)


def add_case_study(client, slug, network):
    index = CaseStudyIndexPage.objects.get(locale__language_code="en")
    url = reverse("wagtailadmin_pages:add", args=("practices", "casestudypage", index.pk))
    turku = network["pages"][OWN_DRAFT].library
    return client.post(url, new_case_study_form(slug, network["pages"][PUBLIC], turku))


def test_a_taken_slug_names_the_draft_that_holds_it_with_a_link(partner, network):
    left_behind = draft(
        CaseStudyFactory(
            title="Debate night (abandoned)",
            slug="debate-night",
            library=network["pages"][OWN_DRAFT].library,
            practice=network["pages"][PUBLIC],
        )
    )

    content = text(add_case_study(partner, "debate-night", network))

    edit_url = reverse("wagtailadmin_pages:edit", args=[left_behind.pk])
    assert f'<a href="{edit_url}">Debate night (abandoned)</a>' in content
    assert "Open that page to finish or delete it, or choose another slug." in content


def test_a_slug_taken_by_another_librarys_draft_is_said_without_its_title(partner, network):
    content = text(add_case_study(partner, network["pages"]["secret case study"].slug, network))

    assert "is already used by a page of another library that you cannot see" in content
    assert "Secret Valmiera case" not in content


def test_a_slug_taken_by_another_librarys_public_page_is_named_without_an_edit_link(
    partner, network
):
    public = CaseStudyFactory(
        title="Valmiera's debate night",
        slug="valmiera-debate-night",
        library=network["pages"][PUBLIC].library,
        practice=network["pages"][PUBLIC],
    )

    content = text(add_case_study(partner, "valmiera-debate-night", network))

    assert "is already used by “Valmiera&#x27;s debate night”. Choose another slug." in content
    assert reverse("wagtailadmin_pages:edit", args=[public.pk]) not in content


def test_what_the_chooser_says_of_chosen_pages_names_no_hidden_page(partner, network):
    chosen = reverse("wagtailadmin_choose_page_chosen_multiple")
    secret, public = network["pages"][SECRET], network["pages"][PUBLIC]

    assert partner.get(chosen, {"id": [secret.pk]}).status_code == 404
    assert partner.get(chosen, {"id": [public.pk, secret.pk]}).status_code == 404
    assert PUBLIC in text(partner.get(chosen, {"id": [public.pk]}))


def test_a_partner_can_search_within_her_practices(partner, network):
    index = PracticeIndexPage.objects.get(locale__language_code="en")
    for view in ("wagtailadmin_explore", "wagtailadmin_explore_results"):
        content = text(partner.get(reverse(view, args=[index.pk]), {"q": "Turku"}))
        assert OWN_DRAFT in content

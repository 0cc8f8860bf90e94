"""kb's additions to the Wagtail admin: the translation status board, under Reports."""

from django.urls import path, reverse
from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin.menu import MenuItem

from .admin_views import ReviewTranslationView, TranslationBoardView
from .dashboard import TranslationsWaitingPanel
from .machine import REVIEW_LOG_ACTION


@hooks.register("register_admin_urls")
def register_translation_board_urls():
    return [
        path(
            "reports/translation-status/",
            TranslationBoardView.as_view(),
            name="kb_translation_board",
        ),
        path(
            "reports/translation-status/review/<int:translation_id>/",
            ReviewTranslationView.as_view(),
            name="kb_review_translation",
        ),
    ]


@hooks.register("register_reports_menu_item")
def register_translation_board_menu_item():
    return MenuItem(
        _("Translation status"),
        reverse("kb_translation_board"),
        name="translation-status",
        icon_name="wagtail-localize-language",
        order=900,
    )


@hooks.register("register_log_actions")
def register_review_log_action(actions):
    actions.register_action(
        REVIEW_LOG_ACTION,
        _("Review machine translation"),
        _("Machine translation reviewed"),
    )


@hooks.register("construct_homepage_panels")
def add_translations_waiting_panel(request, panels):
    if request.user.has_perm("wagtail_localize.submit_translation"):
        panels.append(TranslationsWaitingPanel(request.user))

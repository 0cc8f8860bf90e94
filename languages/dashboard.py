"""The admin dashboard's panel for translators and moderators: translations waiting for a
person (outdated, machine-translated and not reviewed, or translated but not yet published),
counted from the translation status board, and the first of them in the board's order."""

from dataclasses import dataclass

from django.urls import reverse
from django.utils.translation import gettext
from wagtail.admin.ui.components import Component
from wagtail.models import Page
from wagtail.permissions import policy_registry

from .codes import language_name_translated
from .status import Status, translation_board

SHOWN = 8


@dataclass(frozen=True)
class Waiting:
    title: str
    language: str
    status_label: str
    action_label: str
    action_url: str


def waiting_translations(user) -> tuple[dict, list[Waiting]]:
    """({status: number of cells}, the first SHOWN of them) for what the user may see."""
    board = translation_board(
        visible_pages=policy_registry.get_by_type(Page).explorable_instances(user)
    )
    counts = {Status.OUTDATED: 0, Status.MACHINE: 0, "unpublished": 0}
    waiting = []
    for row in board.rows:
        for cell in row.cells:
            kind = _waiting_kind(cell)
            if kind is None:
                continue
            counts[kind] += 1
            if len(waiting) < SHOWN:
                waiting.append(
                    Waiting(
                        title=row.title,
                        language=language_name_translated(cell.language),
                        status_label=_label(kind, cell),
                        action_label=cell.action_label,
                        action_url=cell.action_url,
                    )
                )
    return counts, waiting


def _waiting_kind(cell):
    if cell.status in (Status.OUTDATED, Status.MACHINE):
        return cell.status
    if cell.status == Status.TRANSLATED and not cell.live:
        return "unpublished"
    return None


def _label(kind, cell) -> str:
    if kind == "unpublished":
        return gettext("translated, not published yet")
    return cell.status_label


class TranslationsWaitingPanel(Component):
    name = "translations_waiting"
    template_name = "languages/admin/translations_waiting_panel.html"
    order = 130

    def __init__(self, user):
        self.user = user

    def get_context_data(self, parent_context):
        context = super().get_context_data(parent_context)
        counts, waiting = waiting_translations(self.user)
        board = reverse("kb_translation_board")
        context.update(
            outdated=counts[Status.OUTDATED],
            machine=counts[Status.MACHINE],
            unpublished=counts["unpublished"],
            waiting=waiting,
            board_url=board,
            outdated_url=f"{board}?status={Status.OUTDATED}",
            machine_url=f"{board}?status={Status.MACHINE}",
        )
        return context

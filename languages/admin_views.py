"""The editors' translation status board and its "Mark as reviewed" action (Wagtail admin,
under Reports). The statuses come from `languages.status`; these views only render."""

import csv

from django import forms
from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.http import HttpResponse, HttpResponseBadRequest
from django.shortcuts import get_object_or_404, redirect
from django.urls import reverse
from django.utils import timezone
from django.utils.text import capfirst
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from django.views.generic import TemplateView
from wagtail.admin import messages
from wagtail.admin.utils import get_valid_next_url_from_request
from wagtail.admin.views.generic.base import WagtailAdminTemplateMixin
from wagtail.models import Page
from wagtail.permissions import policy_registry
from wagtail_localize.models import Translation

from .codes import language_name_translated
from .machine import machine_strings, mark_translation_reviewed
from .status import (
    Status,
    page_type_choices,
    translation_board,
)


class BoardFilterForm(forms.Form):
    type = forms.ChoiceField(label=_("Type"), required=False)
    status = forms.ChoiceField(
        label=_("Status"), required=False, choices=[("", _("Any status")), *Status.choices]
    )
    language = forms.ChoiceField(
        label=_("Language"),
        required=False,
        choices=[("", _("All languages")), *settings.LANGUAGES],
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["type"].choices = [("", _("All types")), *page_type_choices()]

    def board_filters(self) -> dict:
        data = self.cleaned_data
        return {
            "types": [data["type"]] if data.get("type") else None,
            "status": data.get("status") or None,
            "language": data.get("language") or None,
        }


class TranslationBoardView(WagtailAdminTemplateMixin, TemplateView):
    template_name = "languages/admin/translation_board.html"
    page_title = _("Translation status")
    header_icon = "wagtail-localize-language"

    def get_breadcrumbs_items(self):
        return [*self.breadcrumbs_items, {"url": "", "label": self.get_page_title()}]

    def get(self, request, *args, **kwargs):
        self.form = BoardFilterForm(request.GET)
        valid = self.form.is_valid()
        # What the user may see of the pages, as Wagtail's own page listings ask it.
        visible = policy_registry.get_by_type(Page).explorable_instances(request.user)
        if request.GET.get("export") == "csv":
            if not valid:
                return HttpResponseBadRequest(self.form.errors.as_text(), content_type="text/plain")
            return board_csv(translation_board(**self.form.board_filters(), visible_pages=visible))
        self.board = translation_board(
            **(self.form.board_filters() if valid else {}),
            next_url=request.get_full_path(),
            visible_pages=visible,
        )
        return super().get(request, *args, **kwargs)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        export_query = self.request.GET.copy()
        export_query["export"] = "csv"
        context.update(
            form=self.form,
            board=self.board,
            languages=[(code, language_name_translated(code)) for code in self.board.languages],
            statuses=Status,
            export_url=f"{reverse('kb_translation_board')}?{export_query.urlencode()}",
        )
        return context


def board_csv(board) -> HttpResponse:
    """The board as a spreadsheet: one row per entry, one status column per language."""
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    filename = f"translation-status-{timezone.localdate().isoformat()}.csv"
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    response.write("\ufeff")  # so that spreadsheet programs read the file as UTF-8
    writer = csv.writer(response)
    writer.writerow(
        [gettext("Type"), gettext("Title"), gettext("Original language")]
        + [language_name_translated(code) for code in board.languages]
    )
    for row in board.rows:
        writer.writerow(
            [capfirst(row.type_label), row.title, row.language_name]
            + [cell.status_label for cell in row.cells]
        )
    return response


class ReviewTranslationView(WagtailAdminTemplateMixin, TemplateView):
    """ "Mark as reviewed": an editor stands by a machine translation as it is. GET asks,
    POST does it."""

    template_name = "languages/admin/review_translation.html"
    page_title = _("Mark machine translation as reviewed")
    header_icon = "wagtail-localize-language"

    def dispatch(self, request, translation_id):
        self.translation = get_object_or_404(
            Translation.objects.select_related("source", "target_locale"), pk=translation_id
        )
        self.target = self.translation.get_target_instance()
        if not self.target.permissions_for_user(request.user).can_edit():
            raise PermissionDenied
        self.next_url = get_valid_next_url_from_request(request) or reverse("kb_translation_board")
        return super().dispatch(request, translation_id)

    def get_page_subtitle(self):
        return self.target.get_admin_display_title()

    def get_breadcrumbs_items(self):
        return [
            *self.breadcrumbs_items,
            {"url": reverse("kb_translation_board"), "label": TranslationBoardView.page_title},
            {"url": "", "label": self.get_page_title()},
        ]

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context.update(
            translation=self.translation,
            target=self.target,
            language=language_name_translated(self.translation.target_locale.language_code),
            machine_strings=machine_strings(self.translation).count(),
            next_url=self.next_url,
            edit_url=reverse("wagtailadmin_pages:edit", args=[self.target.pk]),
        )
        return context

    def post(self, request, translation_id):
        count = mark_translation_reviewed(self.translation, request.user)
        title = self.target.get_admin_display_title()
        if count:
            messages.success(
                request,
                gettext("The machine translation of “%(title)s” is marked as reviewed.")
                % {"title": title},
            )
        else:
            messages.warning(
                request,
                gettext("“%(title)s” has no machine-translated text left to review.")
                % {"title": title},
            )
        return redirect(self.next_url)

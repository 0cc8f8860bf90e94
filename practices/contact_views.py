"""The contact form of a practice or a library page (/<lang>/contact/<page id>/) and the page
that thanks the visitor after sending it. The form, its checks and the relaying are in
`practices.contact`."""

from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods

from .contact import ContactForm, contact_of, page_with_contact, record_and_relay
from .models.contact import ContactMessage


def _page_or_404(page_id: int):
    page = page_with_contact(page_id)
    if page is None:
        raise Http404
    return page


@never_cache
@require_http_methods(["GET", "HEAD", "POST"])
def contact_form(request, page_id: int):
    subject = _page_or_404(page_id)
    status = 200
    if request.method == "POST":
        form = ContactForm(request.POST)
        if form.is_valid():
            message = record_and_relay(subject, form.cleaned_data, subject.get_full_url(request))
            delivered = message.status == ContactMessage.Status.SENT
            return redirect(
                reverse("contact_sent" if delivered else "contact_saved", args=[subject.pk])
            )
        form.with_fresh_start()
        status = 400
    else:
        form = ContactForm()
    context = {"subject": subject, "contact": contact_of(subject), "form": form}
    return render(request, "practices/contact/form.html", context, status=status)


@never_cache
@require_http_methods(["GET", "HEAD"])
def contact_thanks(request, page_id: int, delivered: bool):
    subject = _page_or_404(page_id)
    context = {"subject": subject, "contact": contact_of(subject), "delivered": delivered}
    return render(request, "practices/contact/thanks.html", context)

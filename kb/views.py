from django.shortcuts import redirect
from django.templatetags.static import static


def favicon(request):
    """/favicon.ico, which browsers and feed readers ask for whatever the page links."""
    return redirect(static("kb/icons/favicon.ico"), permanent=True)

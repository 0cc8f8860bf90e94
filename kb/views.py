from django.shortcuts import redirect
from django.templatetags.static import static


def favicon(request):
    """/favicon.ico, which browsers and feed readers ask for whatever the page links."""
    # Not permanent: in production the file's name carries a hash of its content.
    return redirect(static("kb/icons/favicon.ico"))

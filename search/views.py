from django.core.paginator import Paginator
from django.shortcuts import render
from wagtail.models import Locale, Page


def search_page(request):
    query = request.GET.get("q", "").strip()[:500]
    results = None
    if query:
        pages = Page.objects.live().filter(locale=Locale.get_active()).exclude(depth__lte=2)
        results = Paginator(pages.search(query), 20).get_page(request.GET.get("page"))
    return render(request, "search/search_page.html", {"search_query": query, "results": results})

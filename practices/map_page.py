"""/<lang>/map/: every library of the network on the adoption map, with its table."""

from django.shortcuts import render
from django.utils.translation import get_language
from django.views.decorators.http import require_safe

from .adoption_map import network_map


@require_safe
def network_map_page(request):
    return render(
        request,
        "practices/map/network_map.html",
        {"adoption_map": network_map(get_language() or "en")},
    )

"""Template tags for signed-in partners on the public site."""

from django import template
from django.urls import reverse

from practices.adaptation import adaptation_libraries

register = template.Library()


@register.inclusion_tag("practices/includes/adapt_button.html", takes_context=True)
def adapt_button(context, page):
    """The "Adapt this method for my library" button, for partner editors and moderators who
    belong to a library; nothing for anyone else."""
    request = context.get("request")
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated or page is None or not page.live:
        return {"libraries": []}
    return {
        "libraries": adaptation_libraries(user),
        "action": reverse("practices_adapt", args=[page.pk]),
        "csrf_token": context.get("csrf_token"),
    }

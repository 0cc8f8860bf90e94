"""The demo content a fresh site starts with (``manage.py kb_bootstrap`` loads it)."""

from pathlib import Path

DEMO_FILE = Path(__file__).parent / "kb-demo.json"


def site_has_content() -> bool:
    """Whether the site holds any practice, case study, meeting or library yet."""
    from practices.models import CaseStudyPage, LibraryPage, MeetingPage, PracticePage

    return any(
        model.objects.exists() for model in (PracticePage, CaseStudyPage, MeetingPage, LibraryPage)
    )

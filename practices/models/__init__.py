from .case_study import CaseStudyPage, CaseStudyTag
from .contact import ContactMessage
from .indexes import CaseStudyIndexPage, LibraryIndexPage, MeetingIndexPage, PracticeIndexPage
from .library import LibraryPage
from .meeting import MeetingPage
from .practice import PracticeAudience, PracticeMaterial, PracticePage, PracticeTag, PracticeTheme
from .taxonomy import Audience, Format, Theme

__all__ = [
    "Audience",
    "CaseStudyIndexPage",
    "CaseStudyPage",
    "CaseStudyTag",
    "ContactMessage",
    "Format",
    "LibraryIndexPage",
    "LibraryPage",
    "MeetingIndexPage",
    "MeetingPage",
    "PracticeAudience",
    "PracticeIndexPage",
    "PracticeMaterial",
    "PracticePage",
    "PracticeTag",
    "PracticeTheme",
    "Theme",
]

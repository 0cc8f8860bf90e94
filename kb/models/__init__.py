from .base import KnowledgePage
from .home import HomePage

__all__ = ["HomePage", "KnowledgePage"]

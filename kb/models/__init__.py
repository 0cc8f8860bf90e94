from .home import HomePage
from .sign_in import SignInAttempts

__all__ = ["HomePage", "SignInAttempts"]

"""codesearch: local semantic code search over Go, Ruby, Python, Java, JavaScript and PHP."""

__version__ = "0.1.0"

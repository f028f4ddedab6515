"""What the archive says when it refuses, or cannot read itself."""


class ArchiveError(Exception):
    """Issuing would lose, change or misfile something; nothing was written."""


class ArchiveUnreadable(ArchiveError):
    """A manifest or the registry cannot be read at all (``verify`` exits 2)."""

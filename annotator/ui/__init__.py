"""The review window: PySide6 lives only here."""

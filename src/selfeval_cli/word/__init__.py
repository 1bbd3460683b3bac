"""Blocks → a Word file laid out to GB/T 9704-2012 (and PDF through LibreOffice)."""

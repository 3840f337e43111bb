"""toolgym."""

"""`python -m toolgym` runs the CLI."""

from .cli import main

main()

"""`python -m bot` is the same as the `npsbot` command."""

from bot.cli import main

raise SystemExit(main())

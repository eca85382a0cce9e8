"""Entry point for ``python -m ecm``."""

from ecm.cli import main

raise SystemExit(main())

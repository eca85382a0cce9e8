"""Entry point for ``python -m ecm``."""

from ecm.cli.main import main

raise SystemExit(main())

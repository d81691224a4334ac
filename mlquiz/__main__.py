"""`python -m mlquiz` is the `mlquiz` command."""
from mlquiz.cli import main

raise SystemExit(main())

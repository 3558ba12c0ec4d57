"""`python -m fentflow.calibrate calibrate|recovery|out-of-sample` (until the main CLI mounts them)."""
from __future__ import annotations

from fentflow.calibrate.cli import calibrate_command
from fentflow.calibrate.validate_cli import validate_app

validate_app.command("calibrate")(calibrate_command)

if __name__ == "__main__":
    validate_app()

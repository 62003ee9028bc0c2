"""Check our own scenarios with the devset's validator (per-scenario rules only).

    .venv/bin/python -m benchmarks.check_scenarios

Format, labeling and marker rules as in the devset README; the devset's
global design counts (6 scenarios, ...) do not apply to these folders.
"""

from __future__ import annotations

import importlib.util
import sys

from benchmarks.common import BLIND, BLIND2, DEVSET, FRESH, HELDOUT, OWN, scenario_folders


def main() -> int:
    spec = importlib.util.spec_from_file_location("devset_validate", DEVSET.parent / "validate.py")
    validate = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(validate)
    failures = 0
    for root in (OWN, HELDOUT, FRESH, BLIND, BLIND2):
        validate.SCEN_DIR = str(root)
        for folder in scenario_folders(root):
            before = len(validate.errors)
            validate.check_scenario(folder.name)
            new = validate.errors[before:]
            failures += len(new)
            print(f"{root.name}/{folder.name}: {'ok' if not new else f'{len(new)} error(s)'}")
            for line in new:
                print("   ", line)
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())

"""Worked examples: `python -m demos.mazur`, `python -m demos.worked_example`, `python -m demos.moons`."""

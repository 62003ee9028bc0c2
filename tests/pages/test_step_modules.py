"""Adding a reset step means one entry in workshop.agenda.STEPS and its module."""

import importlib

from pages.reset import step_module
from workshop.agenda import STEPS


def test_every_step_has_a_module_that_draws_it_and_a_short_name():
    for step in STEPS:
        module = importlib.import_module(step_module(step.key))
        assert callable(module.render), step.key
        assert step.short and len(step.short) <= 12, step.key
    assert len({s.short for s in STEPS}) == len(STEPS)

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


def _draw_step(store_path: str, session_id: str, key: str) -> None:
    """Runs as the AppTest script: one step's render, with a store passed in and no app around it."""
    import importlib

    from pages.reset import step_module
    from workshop import agenda
    from workshop.store import Store

    store = Store(store_path)
    session = store.get_session(session_id)
    importlib.import_module(step_module(key)).render(store, session, agenda.load(store, session_id))


def test_a_single_step_draws_from_its_render_with_a_store_passed_in(store):
    from streamlit.testing.v1 import AppTest

    from tests.reset_sample import make_session

    session = make_session(store)  # closed, with the sample analysis stored
    at = AppTest.from_function(_draw_step, args=(str(store.path), session.id, "reveal"), default_timeout=60)
    at.run()
    assert not at.exception, [e.value for e in at.exception]
    charts = at.get("arrow_vega_lite_chart") or at.get("vega_lite_chart")
    assert charts and "divergent" in str(charts[0].proto)
    assert store.get_session(session.id).revealed  # the step's own effect, on the store it was given

"""One module per step of the reset session; each has render(store, session, agenda)."""

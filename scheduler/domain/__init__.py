"""The domain: time, entities, the scenario, the schedule and its worth — no I/O, no solver."""

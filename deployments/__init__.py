"""Deployments: schedules, event triggers, the serve entrypoint, and the
launcher that runs the whole product on one machine."""

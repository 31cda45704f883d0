"""Rule families, one module per lifecycle. Each exposes
`obligations(ctx) -> list[Obligation]` and emits nothing for rules its profile
does not state."""

"""The scale benchmark: a deterministic generator shaped like English
children's services, a COPY loader, a hand-written SQL lower bound, and a
harness that measures the engine and the reconcile at each size. A benchmark
measures and prints; it asserts nothing (see bench/README.md)."""

"""The learning side: one-layer DeltaProduct models trained on word problems, and what they learned.

- :mod:`verify.learn.model`: the model and the exact per-letter transitions it learned.
- :mod:`verify.learn.train`: seeded, checkpointed, resumable training and the paper's cumulative accuracy.
- :mod:`verify.learn.sweep`: the sweep behind ``deltaproof learn-sweep`` and ``reports/learning.*``.
- :mod:`verify.learn.mechanism`: do the learned transitions form a faithful representation of the group?
"""

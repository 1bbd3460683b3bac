"""Cross-checks: what a file that fits the model can still get wrong, and validation, which runs them.

Each module holds the checks of one concern (``report``: the budget's sums, years, names; ``figures``:
income, execution, "三公", staffing; ``prose``: the text against the data; ``table`` and ``story``: the
自评表) and lists them in its ``CHECKS``; ``registry`` runs them all. A test fails when a check function
is not registered, or when a registered check has no fixture that makes it fire.
"""

"""The report as data: a YAML file read with line marks (``loader``), the pydantic model (``report``, with the
自评表 in ``assessment`` and income and "三公" in ``finance``), the value types and money it is built from, and
the 自评表's scoring — everything a data file *is*, before anything is checked or written."""

# Nothing is imported here, on purpose: ``problems`` imports ``model.values`` and ``model.loader`` imports
# ``problems``; a re-export in this file would make ``import selfeval_cli.problems`` first a circular import.

"""The JSON Schema of the data file, generated from the model."""

from __future__ import annotations

import json

from selfeval_cli.model.report import Report

SCHEMA_ID = "https://selfeval.invalid/schemas/selfeval.schema.json"


def schema_dict() -> dict[str, object]:
    """The model's JSON Schema (draft 2020-12) with its identifiers set."""
    schema = Report.model_json_schema(mode="validation")
    return {"$schema": "https://json-schema.org/draft/2020-12/schema", "$id": SCHEMA_ID, **schema}


def schema_text() -> str:
    """The schema as the text committed in ``schemas/selfeval.schema.json``."""
    return json.dumps(schema_dict(), ensure_ascii=False, indent=2) + "\n"

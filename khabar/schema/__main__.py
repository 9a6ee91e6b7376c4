"""`python -m khabar.schema` rewrites the committed annotation.schema.json."""

from khabar.schema import SCHEMA_PATH, schema_json

SCHEMA_PATH.write_text(schema_json(), encoding="utf-8")

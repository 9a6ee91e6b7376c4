"""`python -m khabar.schema` rewrites the committed annotation.schema.json."""

from khabar.files import write_file
from khabar.schema import SCHEMA_PATH, schema_json

write_file(SCHEMA_PATH, schema_json())

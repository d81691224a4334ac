"""The JSON Schema agrees with the loader: good files pass, bad ones are flagged."""
from __future__ import annotations

import dataclasses

import jsonschema
import pytest
import yaml

from mlquiz.content import json_schema
from mlquiz.content.decode import yaml_fields
from mlquiz.content.files import FILE_KINDS

from .conftest import FILES, QUESTIONS, replaced

KIND_OF = {"course/course.yaml": "course", "course/m1/module.yaml": "module",
           "course/m1/lesson.yaml": "lesson", "course/m1/questions.yaml": "questions",
           "course/m1/flashcards.yaml": "flashcards", "exercises/ex-one/exercise.yaml": "exercise"}


def as_editor_reads_it(text: str):
    """YAML 1.2 core values, as the YAML language server reads them ('yes' stays text)."""
    def value(node):
        if isinstance(node, yaml.MappingNode):
            return {k.value: value(v) for k, v in node.value}
        if isinstance(node, yaml.SequenceNode):
            return [value(v) for v in node.value]
        if node.style:
            return node.value
        if node.value in ("true", "false"):
            return node.value == "true"
        if node.tag == "tag:yaml.org,2002:int":
            return int(node.value)
        return None if node.value in ("", "~", "null") else node.value
    return value(yaml.compose(text, Loader=yaml.SafeLoader))


@pytest.mark.parametrize("kind", sorted(FILE_KINDS))
def test_each_schema_is_valid_draft_2020_12(kind):
    jsonschema.Draft202012Validator.check_schema(json_schema(kind))


def test_the_combined_schema_is_valid_and_accepts_every_demo_file():
    combined = json_schema()
    jsonschema.Draft202012Validator.check_schema(combined)
    for rel in KIND_OF:
        jsonschema.validate(as_editor_reads_it(FILES[rel]), combined)


@pytest.mark.parametrize("rel", sorted(KIND_OF))
def test_the_demo_files_pass_their_schema(rel):
    jsonschema.validate(as_editor_reads_it(FILES[rel]), json_schema(KIND_OF[rel]))


@pytest.mark.parametrize("old, new, error", [
    ("difficulty: easy", "difficulty: Easy", "is not one of"),
    ("    hint: Think.\n", "    hnt: Think.\n", "Additional properties are not allowed"),
    ("answer: C", "answer: CC", "does not match"),
    ("id: q-one", "id: Q One", "does not match"),
    ("options: [first, second, third]", "options: [only]", "is too short"),
])
def test_the_schema_flags_what_validate_flags(old, new, error):
    bad = as_editor_reads_it(replaced(QUESTIONS, old, new))
    with pytest.raises(jsonschema.ValidationError, match=error):
        jsonschema.validate(bad, json_schema("questions"))


@pytest.mark.parametrize("kind", sorted(FILE_KINDS))
def test_every_field_of_every_file_has_a_description_and_required_matches_the_model(kind):
    doc = json_schema(kind)
    objects = [(FILE_KINDS[kind].__name__, doc)] + list(doc.get("$defs", {}).items())
    for name, schema in objects:
        cls = FILE_KINDS[kind] if name == FILE_KINDS[kind].__name__ else None
        for field, prop in schema["properties"].items():
            assert prop.get("description"), f"{name}.{field} has no description"
        if cls is not None:
            assert schema["required"] == [s.name for s in yaml_fields(cls) if s.required]
            assert set(schema["properties"]) == {f.name for f in dataclasses.fields(cls)} - {"path"}

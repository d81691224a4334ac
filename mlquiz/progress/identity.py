"""Who is learning: a checked name, its folder key, and the learner last chosen in the app.

>>> check_learner_name("  Eve Smith ")
'Eve Smith'
>>> folder_key("Eve Smith"), folder_key("eve-smith"), folder_key("ÉVE")
('eve%20smith', 'eve-smith', '%C3%A9ve')

The app remembers, per database (by the uuid stored inside it, so a copied or
moved file keeps it), the learner last chosen *in the app*: the welcome
screen's name, a pick from the learner list, a switch from home or the palette.
`mlquiz --learner X` and every command's `--learner X` run as X once and change
nothing here. The choices live in one small JSON file in the user's config folder:

    {"mlquiz_chosen_learners": 1,
     "databases": {"<database uuid>": {"learner": "ada", "database": "/path/progress.db"}}}
"""
from __future__ import annotations

import json
import os
import unicodedata
from pathlib import Path

from mlquiz.errors import MlquizError

CHOICES_FILE = "chosen-learners.json"
# Categories never allowed in a name: controls, format characters (bidi overrides and
# isolates, zero-width characters), surrogates, line and paragraph separators.
_REFUSED_CATEGORIES = frozenset({"Cc", "Cf", "Cs", "Zl", "Zp"})
_KEPT_IN_KEYS = frozenset("abcdefghijklmnopqrstuvwxyz0123456789-_")
_LONGEST_KEY = 120  # keys above this become a hash: a folder name stays well under 255 bytes


def check_learner_name(name: str | None) -> str:
    """The name without surrounding spaces; MlquizError (exit 2) with one line if it is
    empty, has no letter or digit, or holds a control or bidi character."""
    text = (name or "").strip()
    if not text:
        raise MlquizError("a learner name cannot be empty; pass --learner NAME", exit_code=2)
    for char in text:
        if unicodedata.category(char) in _REFUSED_CATEGORIES:
            raise MlquizError(f"a learner name cannot contain control or direction characters "
                              f"(found U+{ord(char):04X}); type the name with letters, digits "
                              "and spaces", exit_code=2)
    if not any(unicodedata.category(char)[0] in "LN" for char in text):
        raise MlquizError(f"a learner name needs at least one letter or digit, not only "
                          f"punctuation ({text!r})", exit_code=2)
    return text


def name_problem(name: str | None) -> str | None:
    """What is wrong with a typed name, as a sentence for a screen, or None when it is fine."""
    try:
        check_learner_name(name)
    except MlquizError as error:
        message = str(error).replace("; pass --learner NAME", "")
        return message[0].upper() + message[1:] + "."
    return None


def folder_key(name: str) -> str:
    """The learner's casefolded name as one folder name, collision-free: a-z, 0-9, - and _
    stay, every other byte of its UTF-8 is %XX (upper-case hex, so no two keys differ only
    in case); a key over 120 characters is '~' and the folded name's SHA-256."""
    folded = name.strip().casefold()
    key = "".join(char if char in _KEPT_IN_KEYS
                  else "".join(f"%{byte:02X}" for byte in char.encode("utf-8"))
                  for char in folded)
    if len(key) > _LONGEST_KEY:
        import hashlib

        return "~" + hashlib.sha256(folded.encode("utf-8")).hexdigest()
    return key


def learner_folder(root: Path, database_id: str | None, learner: str) -> Path:
    """A learner's own exercise folder: `root/<database uuid>/<folder_key(learner)>`. An
    older database opened read-only has no uuid yet: `root/no-database-id/...`, only read.

    >>> learner_folder(Path("ws"), "0f" * 16, "Eve Smith").as_posix()
    'ws/0f0f0f0f0f0f0f0f0f0f0f0f0f0f0f0f/eve%20smith'
    """
    return Path(root) / (database_id or "no-database-id") / folder_key(learner)


# --- the learner chosen in the app ------------------------------------------------------


def choices_path() -> Path:
    from mlquiz.paths import user_config_dir

    return user_config_dir() / CHOICES_FILE


def _read_choices(path: Path) -> dict:
    try:
        document = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}
    databases = document.get("databases") if isinstance(document, dict) else None
    return databases if isinstance(databases, dict) else {}


def chosen_learner(store) -> str | None:
    """The learner last chosen in the app for this database, as stored, if still in it."""
    if not store.database_id:
        return None
    entry = _read_choices(choices_path()).get(store.database_id)
    name = entry.get("learner") if isinstance(entry, dict) else None
    if not isinstance(name, str) or not name:
        return None
    found = store.learner(name)
    return found.name if found else None


def remember_choice(store, name: str) -> bool:
    """Save `name` as this database's learner chosen in the app; False if it cannot be
    saved (no id, a read-only config folder): the app then simply asks again next time."""
    if not store.database_id:
        return False
    path = choices_path()
    databases = _read_choices(path)
    databases[store.database_id] = {"learner": name, "database": str(store.path)}
    partial = path.with_name(f".{path.name}.{os.getpid()}.partial")
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        partial.write_text(json.dumps({"mlquiz_chosen_learners": 1, "databases": databases},
                                      indent=1, ensure_ascii=False), encoding="utf-8")
        os.replace(partial, path)
    except OSError:
        partial.unlink(missing_ok=True)
        return False
    return True


def app_learner(store) -> str | None:
    """Who the app opens as: the learner chosen in the app, else the only learner, else
    None (no learner yet: the welcome asks a name; several: the app asks which)."""
    chosen = chosen_learner(store)
    if chosen:
        return chosen
    everyone = people(store)
    return everyone[0] if len(everyone) == 1 else None


def people(store) -> list[str]:
    """The learners' names, without the room's own timeline ('@room': '@' starts no typed name)."""
    return [learner.name for learner in store.learners() if not learner.name.startswith("@")]


def command_learner(store, wanted: str | None) -> str | None:
    """Who a command runs as: --learner, else the app's learner, else the most recently
    active one (a command cannot ask). Running it changes no default."""
    if wanted:
        return wanted
    return app_learner(store) or store.most_recent_learner()

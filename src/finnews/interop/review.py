"""People and review blocks of a Label Studio import: which annotation of a task is applied, who
made it, and the review block an imported record gets (GUIDELINES §0).

- **Which annotation.** Cancelled (skipped) annotations and drafts are never applied. Of a task's
  other annotations the most recently updated one is applied (`updated_at`, else `created_at`), or,
  with `--annotation-of USER`, the most recent one by that Label Studio user (a user id as the export
  gives it, or an e-mail). Every annotation that is not applied is named in the report; when the
  rule cannot choose (no or equal dates), the task is an `annotation-choice` incident.
- **Who.** A real Label Studio export names the user of an annotation by a bare id (`"completed_by":
  1`), which names nobody: the annotator is then `--annotator`, given by whoever runs the import.
  An export that carries the user's e-mail or name gives `human:<e-mail>` (or `human:First-Last`).
  Nothing is ever guessed: a changed or new record without a known annotator stops the import with
  one line naming the option to add.
- **Review block.** Whoever corrects or adds a record becomes its annotator (GUIDELINES §0, 1.1);
  a changed record's note says what changed and whose record it was. The record is `checked` only
  when `--checked-by` names someone else, with the date of that check (`--checked-at`); otherwise it
  is a `draft`, left out of releases until someone else checks it.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from datetime import date, datetime, timezone

from finnews.data.schema import CHECKED, defs
from finnews.errors import UsageError

ANNOTATOR = re.compile(defs()["annotator"]["pattern"])  # the schema's pattern (tool:, model:, human:)
ANNOTATOR_EXAMPLES = "human:NAME, model:NAME/ROLE or tool:NAME@VERSION, without spaces"


def annotator_option(option: str, value: str | None) -> str | None:
    """An annotator name given as an option, exactly as the schema requires it; never rewritten."""
    if value is None:
        return None
    if not ANNOTATOR.fullmatch(value):
        raise UsageError(f"{option} {value!r} is not an annotator name: expected {ANNOTATOR_EXAMPLES}")
    return value


def date_option(option: str, value: str | None) -> str | None:
    """A YYYY-MM-DD date given as an option (None stays None)."""
    if value is None:
        return None
    try:
        return date.fromisoformat(value).isoformat()
    except ValueError:
        raise UsageError(f"{option} must be a date YYYY-MM-DD, not {value!r}") from None


# ---------------------------------------------------------------- Label Studio users


@dataclass(frozen=True)
class Author:
    """Who made an annotation: `name` is an annotator name, or None when the export names nobody;
    `user` is how Label Studio names the user (for messages); `day` the date of the last update."""

    name: str | None
    user: str
    day: str | None


def _named(who: dict) -> str:
    """The e-mail, else the first and last name, of a Label Studio user object ('' when none)."""
    text = lambda key: who.get(key) if isinstance(who.get(key), str) else ""  # noqa: E731
    return text("email").strip() or " ".join(part for part in (text("first_name").strip(), text("last_name").strip()) if part)


def user_label(annotation: dict) -> str:
    """How the export names an annotation's user: `user 1`, `user 7 (alice@example.org)`."""
    who = annotation.get("completed_by")
    if isinstance(who, dict):
        named = _named(who)
        return f"user {who.get('id')}" + (f" ({named})" if named else "")
    return f"user {who}"


def user_keys(annotation: dict) -> set[str]:
    """The values of --annotation-of that select this annotation's user: its id and its e-mail."""
    who = annotation.get("completed_by")
    if isinstance(who, dict):
        return {str(v) for v in (who.get("id"), who.get("email")) if v not in (None, "")}
    return set() if who is None else {str(who)}


def exported_name(annotation: dict) -> str | None:
    """The annotator name an export gives: human:<e-mail> or human:First-Last; None for a bare id."""
    who = annotation.get("completed_by")
    if not isinstance(who, dict):
        return None  # a bare user id says nothing about the person
    named = _named(who)
    name = "human:" + re.sub(r"\s+", "-", named) if named else None
    return name if name and ANNOTATOR.fullmatch(name) else None


def updated(annotation: dict) -> datetime | None:
    """When the annotation was last updated (else created), as Label Studio says; None if unknown."""
    for key in ("updated_at", "created_at"):
        value = annotation.get(key)
        if isinstance(value, str):
            try:
                moment = datetime.fromisoformat(value.replace("Z", "+00:00"))
            except ValueError:
                continue
            return moment if moment.tzinfo else moment.replace(tzinfo=timezone.utc)
    return None


def author(annotation: dict, annotator: str | None) -> Author:
    """The Author of an applied annotation; --annotator (when given) names its user."""
    moment = updated(annotation)
    return Author(annotator or exported_name(annotation), user_label(annotation), moment.date().isoformat() if moment else None)


# ---------------------------------------------------------------- which annotation


@dataclass(frozen=True)
class Choice:
    """The annotation of a task to apply (None: none), what is not applied and why, and the reason
    the rule could not choose (an annotation-choice incident) if it could not."""

    applied: dict | None
    not_applied: tuple[str, ...] = ()
    problem: str | None = None


def _describe(annotation: dict) -> str:
    moment = annotation.get("updated_at") or annotation.get("created_at") or "no date"
    return f"annotation {annotation.get('id')} by {user_label(annotation)}, updated {moment}"


def choose_annotation(task: dict, annotation_of: str | None = None) -> Choice:
    """Which annotation of a task is applied: the most recently updated submitted one (of USER's).
    The task's annotations are a list or absent (the importer reports any other value)."""
    where = f"task {task.get('id')}"
    given = [a for a in task.get("annotations") or [] if isinstance(a, dict)]
    notes = [f"{where}: {_describe(a)} not applied: cancelled (skipped) in Label Studio" for a in given if a.get("was_cancelled")]
    drafts = [d for d in task.get("drafts") or [] if isinstance(d, dict)] if isinstance(task.get("drafts"), list) else []
    if drafts:
        notes.append(f"{where}: {len(drafts)} draft{'s' if len(drafts) > 1 else ''} not applied: a draft is not submitted")
    submitted = [a for a in given if not a.get("was_cancelled")]
    mine = [a for a in submitted if annotation_of is None or annotation_of in user_keys(a)]
    notes += [
        f"{where}: {_describe(a)} not applied: not by {annotation_of}"
        for a in submitted
        if annotation_of is not None and annotation_of not in user_keys(a)
    ]
    if len(mine) <= 1:
        return Choice(mine[0] if mine else None, tuple(notes))
    dated = sorted(((updated(a), i) for i, a in enumerate(mine) if updated(a) is not None), reverse=True)
    if len(dated) < len(mine) or dated[0][0] == dated[1][0]:
        listed = "; ".join(_describe(a) for a in mine)
        return Choice(
            None,
            tuple(notes),
            f"{where} has {len(mine)} annotations and none is the most recently updated ({listed}): pass --annotation-of USER",
        )
    chosen = mine[dated[0][1]]
    notes += [f"{where}: {_describe(a)} not applied: {_describe(chosen)} is more recent" for a in mine if a is not chosen]
    return Choice(chosen, tuple(notes))


# ---------------------------------------------------------------- review blocks


def _shown(value: object) -> str:
    if value is None:
        return "none"
    if isinstance(value, dict) and "text" in value:
        return value["text"] if value.get("start") is None else f"{value['text']} [{value['start']}, {value['end']})"
    return value if isinstance(value, str) else json.dumps(value, ensure_ascii=False)


def change_note(before: dict, after: dict, who: Author) -> str:
    """What an edit changed and whose record it was: the note of a corrected record (GUIDELINES §0)."""
    parts = []
    if any(before.get(k) != after.get(k) for k in ("start", "end", "text")):
        parts.append(
            f"span {_shown({k: before[k] for k in ('start', 'end', 'text')})} -> "
            f"{_shown({k: after[k] for k in ('start', 'end', 'text')})}"
        )
    for key in dict.fromkeys([*before, *after]):
        if key not in ("id", "article", "start", "end", "text", "review") and before.get(key) != after.get(key):
            parts.append(f"{key} {_shown(before.get(key))} -> {_shown(after.get(key))}")
    when = f" on {who.day}" if who.day else ""
    return f"corrected in Label Studio{when}: {'; '.join(parts)} (the record was {before['review']['annotator']}'s)"


def review_block(annotator: str, checked_by: str | None, checked_at: str | None, note: str | None = None) -> dict:
    """checked when someone other than the annotator checked it (with the date); else a draft."""
    if checked_by is not None and checked_by != annotator:
        review = {"status": CHECKED, "annotator": annotator, "checked_by": checked_by, "checked_at": checked_at}
    else:
        review = {"status": "draft", "annotator": annotator, "checked_by": None, "checked_at": None}
    return {**review, "note": note} if note else review

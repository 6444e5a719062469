"""X (Twitter) archive (the zip or its `data/` folder): DMs, group DMs, replies and mentions.

Identity is the account id. Each `data/*.js` file is `window.YTD.<name>.part0 = ` and a JSON
array; anything else in its place is an error naming the file and line.
"""

from __future__ import annotations

import json
import re
from collections import Counter
from datetime import UTC, datetime
from pathlib import PurePosixPath
from typing import Any

from coach.imports.people import Parsed, Person
from coach.imports.progress import EVERY, Progress, no_progress
from coach.imports.source import Bundle, failed
from coach.models import Interaction

SOURCE = "import:x"
_PREFIX = re.compile(r"\A\s*window\.YTD\.[A-Za-z0-9_]+\.part\d+\s*=\s*")
_PART = re.compile(r"-part(\d+)(?=\.js$)")
_FILES = ("account.js", "direct-messages.js", "direct-messages-group.js", "tweets.js",
          "tweet.js", "follower.js", "following.js")


def looks_like_x(text_head: str) -> bool:
    return bool(_PREFIX.match(text_head))


def parse(bundle: Bundle, progress: Progress = no_progress) -> Parsed:
    out = Parsed("x")
    parts = _members(bundle)
    if not parts:
        raise failed(bundle.path.name, None, "no X archive data files (data/*.js)")
    # Big archives split a file into parts (direct-messages-part1.js, ...): read them as one.
    data = {name: [item for m in group for item in _load(bundle, m)]
            for name, group in parts.items()}
    members = {name: group[0] for name, group in parts.items()}  # named in shape errors
    out.files.extend(bundle.display(m) for group in parts.values() for m in group)
    owner_id, owner_handle = _account(data.get("account.js"), bundle, members)
    people: dict[str, Person] = {}
    names = _known_names(data)

    def person(account_id: str, where: str) -> Person:
        p = people.get(account_id)
        if p is None:
            handle, name = names.get(account_id, ("", ""))
            label = name or (f"@{handle}" if handle else f"X user {account_id}")
            p = Person(name=label, source=SOURCE, origin=where, placeholder_name=not name)
            p.add_x_id(account_id)
            if handle:
                p.add_x_handle(handle)
            people[account_id] = p
        return p

    dms = [*data.get("direct-messages.js", []), *data.get("direct-messages-group.js", [])]
    if owner_id is None:
        owner_id = _guess_owner(dms)
    total = sum(len(_conversation(c, bundle, members)[1]) for c in dms)
    done = 0
    for conv in dms:
        conv_id, messages = _conversation(conv, bundle, members)
        participants = {_str(m, "senderId") for m in messages} | {
            _str(m, "recipientId") for m in messages if m.get("recipientId")}
        participants |= set(conv_id.split("-")) if re.fullmatch(r"\d+-\d+", conv_id) else set()
        participants.discard("")
        for m in messages:
            done += 1
            if done % EVERY == 0:
                progress("X messages", done, total)
            sender = _str(m, "senderId")
            at = _time(m.get("createdAt"), "direct-messages.js", bundle, members)
            text = str(m.get("text") or "")
            where = f"direct messages, conversation {conv_id}"
            if sender != owner_id:
                person(sender, where).interactions.append(Interaction(
                    direction="in", at=at, channel="dm", text=text, public=False, source=SOURCE))
                continue
            for other in sorted(participants - {owner_id}):
                person(other, where).interactions.append(Interaction(
                    direction="out", at=at, channel="dm", text=text, public=False, source=SOURCE))
    progress("X messages", total, total)
    _tweets(data, owner_id, owner_handle, person, bundle, members, out)
    followed = {_follow_id(x) for name in ("follower.js", "following.js")
                for x in data.get(name, [])}
    out.ignore("followers and followings with no exchange",
               len({f for f in followed if f and f not in people and f != owner_id}))
    out.persons.extend(people.values())
    return out


def _members(bundle: Bundle) -> dict[str, list[str]]:
    """Canonical file name -> its members (the file and any -partN siblings), in order."""
    if bundle.is_single_file:
        name = _canonical(PurePosixPath(bundle.members[0]).name)
        return {name if name in _FILES else "direct-messages.js": [bundle.members[0]]}
    found: dict[str, list[str]] = {}
    for member in sorted(bundle.members, key=lambda m: (_part_number(m), m)):
        name = _canonical(PurePosixPath(member).name)
        if name in _FILES:
            found.setdefault(name, []).append(member)
    return found


def _canonical(basename: str) -> str:
    return _PART.sub("", basename.casefold())


def _part_number(member: str) -> int:
    m = _PART.search(PurePosixPath(member).name.casefold())
    return int(m.group(1)) if m else 0


def _load(bundle: Bundle, member: str) -> list[Any]:
    display = bundle.display(member)
    text = bundle.read_text(member)
    m = _PREFIX.match(text)
    if not m:
        raise failed(display, 1, "does not start with `window.YTD.<name>.part0 = `")
    try:
        value = json.loads(text[m.end():])
    except json.JSONDecodeError as exc:
        line = text[: m.end()].count("\n") + exc.lineno
        raise failed(display, line, f"broken JSON ({exc.msg})") from None
    except RecursionError:
        raise failed(display, None, "JSON nested too deeply") from None
    if not isinstance(value, list) or not all(isinstance(v, dict) for v in value):
        raise failed(display, 1, "expected a JSON array of objects")
    return value


def _str(obj: dict[str, Any], key: str) -> str:
    value = obj.get(key, "")
    return str(value) if isinstance(value, str | int) else ""


def _account(items: list[Any] | None, bundle: Bundle,
             members: dict[str, str]) -> tuple[str | None, str]:
    if not items:
        return None, ""
    acct = items[0].get("account")
    if not isinstance(acct, dict) or not _str(acct, "accountId"):
        raise failed(bundle.display(members["account.js"]), 1, "no account.accountId")
    return _str(acct, "accountId"), _str(acct, "username")


def _conversation(conv: dict[str, Any], bundle: Bundle,
                  members: dict[str, str]) -> tuple[str, list[dict[str, Any]]]:
    body = conv.get("dmConversation")
    if not isinstance(body, dict) or not isinstance(body.get("messages", []), list):
        raise failed(_dm_file(bundle, members), None,
                     "an entry without dmConversation.messages")
    out = []
    for item in body.get("messages", []):
        msg = item.get("messageCreate") if isinstance(item, dict) else None
        if isinstance(msg, dict):  # joins, leaves, reactions and the like are not messages
            if not _str(msg, "senderId"):
                raise failed(_dm_file(bundle, members), None,
                             f"a message without senderId in {_str(body, 'conversationId')}")
            out.append(msg)
    return _str(body, "conversationId"), out


def _dm_file(bundle: Bundle, members: dict[str, str]) -> str:
    member = members.get("direct-messages.js") or members.get("direct-messages-group.js", "")
    return bundle.display(member)


def _time(value: Any, file: str, bundle: Bundle, members: dict[str, str]) -> datetime:
    if isinstance(value, str):
        if value[4:5] == "-":  # ISO 8601, as DMs have it: fromisoformat is 20x strptime
            try:
                iso = datetime.fromisoformat(value)
            except ValueError:
                pass
            else:
                return iso if iso.tzinfo else iso.replace(tzinfo=UTC)
        for fmt in ("%Y-%m-%dT%H:%M:%S.%fZ", "%Y-%m-%dT%H:%M:%SZ", "%a %b %d %H:%M:%S %z %Y"):
            try:
                parsed = datetime.strptime(value, fmt)
            except ValueError:
                continue
            return parsed if parsed.tzinfo else parsed.replace(tzinfo=UTC)
    display = bundle.display(members.get(file, file)) if file in members else file
    raise failed(display, None, f"'{str(value)[:40]}' is not a time this importer knows")


def _guess_owner(dms: list[dict[str, Any]]) -> str | None:
    """Without account.js: you are the one in every one-to-one conversation id ("a-b")."""
    counts: Counter[str] = Counter()
    for conv in dms:
        body = conv.get("dmConversation")
        conv_id = _str(body, "conversationId") if isinstance(body, dict) else ""
        if re.fullmatch(r"\d+-\d+", conv_id):
            counts.update(conv_id.split("-"))
    return counts.most_common(1)[0][0] if counts else None


def _known_names(data: dict[str, list[Any]]) -> dict[str, tuple[str, str]]:
    """account id -> (handle, display name), from mentions and replies in your tweets."""
    names: dict[str, tuple[str, str]] = {}
    for item in [*data.get("tweets.js", []), *data.get("tweet.js", [])]:
        tweet = item.get("tweet", item)
        if not isinstance(tweet, dict):
            continue
        entities = tweet.get("entities")
        mentions = entities.get("user_mentions", []) if isinstance(entities, dict) else []
        for m in mentions if isinstance(mentions, list) else []:
            if isinstance(m, dict) and _str(m, "id_str"):
                names[_str(m, "id_str")] = (_str(m, "screen_name"), _str(m, "name"))
        reply_to = _str(tweet, "in_reply_to_user_id_str")
        if reply_to and reply_to not in names:
            names[reply_to] = (_str(tweet, "in_reply_to_screen_name"), "")
    return names


def _tweets(data: dict[str, list[Any]], owner_id: str | None, owner_handle: str, person: Any,
            bundle: Bundle, members: dict[str, str], out: Parsed) -> None:
    """Your replies and mentions: public, early-stage contact with the people addressed."""
    for file in ("tweets.js", "tweet.js"):
        for n, item in enumerate(data.get(file, [])):
            tweet = item.get("tweet", item)
            if not isinstance(tweet, dict):
                raise failed(bundle.display(members[file]), None, f"item {n} is not a tweet")
            text = _str(tweet, "full_text") or _str(tweet, "text")
            if text.startswith("RT @"):
                out.ignore("retweets")
                continue
            at = _time(tweet.get("created_at"), file, bundle, members)
            reply_to = _str(tweet, "in_reply_to_user_id_str")
            where = f"{file}, tweet {_str(tweet, 'id_str') or n}"
            if reply_to and reply_to != owner_id:
                person(reply_to, where).interactions.append(Interaction(
                    direction="out", at=at, channel="public_reply", text=text, public=True,
                    source=SOURCE))
            entities = tweet.get("entities")
            mentions = entities.get("user_mentions", []) if isinstance(entities, dict) else []
            for m in mentions if isinstance(mentions, list) else []:
                uid = _str(m, "id_str") if isinstance(m, dict) else ""
                if uid and uid not in (reply_to, owner_id) and (
                        _str(m, "screen_name").casefold() != owner_handle.casefold()):
                    person(uid, where).interactions.append(Interaction(
                        direction="out", at=at, channel="mention", text=text, public=True,
                        source=SOURCE))


def _follow_id(item: dict[str, Any]) -> str:
    body = item.get("follower") or item.get("following")
    return _str(body, "accountId") if isinstance(body, dict) else ""

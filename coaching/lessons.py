"""The conversation-first path: eight short lessons, written by us, as data.

Each lesson teaches one habit, shows it with a small example and says why it
matters. The order depends on the persona a user picked on first contact
(new to Teams, team member, team owner); ``for_metric`` picks the lesson that
addresses a team's weakest adoption measure.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum


@dataclass(frozen=True)
class Lesson:
    """One habit of the conversation-first path."""

    id: str
    title: str
    habit: str
    example: str
    why: str
    checklist: str  # the one-line form used in a team's checklist


class Persona(StrEnum):
    """Who the learner is; decides the order of the lessons."""

    NEW = "new"
    MEMBER = "member"
    OWNER = "owner"

    @property
    def label(self) -> str:
        return {
            Persona.NEW: "new to Teams",
            Persona.MEMBER: "a team member",
            Persona.OWNER: "a team owner",
        }[self]


LESSONS: tuple[Lesson, ...] = (
    Lesson(
        id="channel-first",
        title="Post in a channel, not a private chat",
        habit="When a question concerns the team's work, ask it in the team's channel.",
        example=(
            "Instead of messaging Lee alone with 'Is the Q3 budget final?', post it in "
            "*Finance › General* so the person who knows can answer and everyone sees it."
        ),
        why=(
            "A private chat helps two people once. A channel post helps the whole team, "
            "today and the next time someone wonders the same thing."
        ),
        checklist="Questions about our work go into a channel, not a private chat.",
    ),
    Lesson(
        id="reply-in-thread",
        title="Reply in the thread",
        habit="Answer with *Reply* under the post instead of starting a new post.",
        example=(
            "Megan asks about the launch date. Click *Reply* under her post and write "
            "'Friday, confirmed with legal' — don't start a fresh post saying the same."
        ),
        why=(
            "A thread keeps question, answers and decision together. New posts scatter the "
            "story and leave the original question looking unanswered."
        ),
        checklist="Answers go into the thread with Reply; every question gets an answer.",
    ),
    Lesson(
        id="mention",
        title="@mention the person or the team",
        habit="Type @ and a name when you need someone; use @team only when it concerns all.",
        example=(
            "'@Alex could you check the figures in row 12?' reaches Alex directly; "
            "'@Marketing the brief is ready for review' reaches everyone once."
        ),
        why=(
            "People follow many channels. An @mention tells the right person that this "
            "one is for them, so questions get answered sooner."
        ),
        checklist="We @mention the person we need, and @team only when it concerns everyone.",
    ),
    Lesson(
        id="subjects",
        title="Give new posts a subject",
        habit="Start a new post with a short subject line that says what it is about.",
        example=(
            "Subject: 'Supplier contract — decision needed by Thursday'. The body then gives "
            "the detail and who should weigh in."
        ),
        why=(
            "Subjects make a channel scannable and searchable. People can see at a glance "
            "which conversation they should join."
        ),
        checklist="New posts start with a subject that says what they are about.",
    ),
    Lesson(
        id="decisions-in-channel",
        title="Move decisions from chats into the channel",
        habit="When a chat reaches a decision, post the outcome in the team's channel.",
        example=(
            "After a side chat settles the venue, post in the channel: 'Decided: offsite at "
            "the Harbour Hall on 12 May. Why: closest to the station.'"
        ),
        why=(
            "Decisions hidden in chats get made twice. In the channel they are found, "
            "questioned early and remembered."
        ),
        checklist="Decisions made in a chat are written up in the channel.",
    ),
    Lesson(
        id="pin-and-tag",
        title="Pin or tag the important thread",
        habit="Pin the thread people keep coming back to; use a tag to reach a group.",
        example=(
            "Pin 'How we onboard new clients' in the channel; tag @reviewers when a "
            "draft is ready instead of listing five names."
        ),
        why=(
            "The most useful conversation should not sink under newer ones. Pins and tags "
            "point people to it without extra meetings or emails."
        ),
        checklist="The thread we keep coming back to is pinned; groups are reached by tag.",
    ),
    Lesson(
        id="react",
        title="React instead of '+1' replies",
        habit="Use a reaction (👍 ✅ ❤️) to agree or acknowledge; reply only to add something.",
        example=(
            "Nestor shares the agenda. A 👍 says 'seen, agreed'; a reply is for "
            "'can we add the budget item?'."
        ),
        why=(
            "Reactions show support without burying the thread. Replies stay for content, "
            "so the conversation stays readable."
        ),
        checklist="We react to acknowledge and reply only to add something.",
    ),
    Lesson(
        id="structure-follows",
        title="Only then organise files and tabs",
        habit="Let channels, files and tabs grow out of the conversations you actually have.",
        example=(
            "When the same spreadsheet comes up in three threads a week, add it as a tab. "
            "When one topic fills the channel, give it its own channel."
        ),
        why=(
            "Structure built before the conversation is guesswork. Structure that follows "
            "the conversation fits how the team really works."
        ),
        checklist="Files, tabs and new channels follow the conversations we actually have.",
    ),
)

BY_ID: dict[str, Lesson] = {lesson.id: lesson for lesson in LESSONS}

ORDER: dict[Persona, tuple[str, ...]] = {
    # New to Teams: where to talk first, then how to talk there.
    Persona.NEW: (
        "channel-first",
        "reply-in-thread",
        "mention",
        "react",
        "subjects",
        "decisions-in-channel",
        "pin-and-tag",
        "structure-follows",
    ),
    # Members already post: make the conversation work better.
    Persona.MEMBER: (
        "reply-in-thread",
        "mention",
        "subjects",
        "react",
        "channel-first",
        "decisions-in-channel",
        "pin-and-tag",
        "structure-follows",
    ),
    # Owners shape the team: decisions and structure come earlier.
    Persona.OWNER: (
        "channel-first",
        "decisions-in-channel",
        "pin-and-tag",
        "reply-in-thread",
        "structure-follows",
        "mention",
        "subjects",
        "react",
    ),
}
DEFAULT_PERSONA = Persona.MEMBER

# The lesson that addresses a team's weakest adoption measure (adoption.health names).
FOR_METRIC: dict[str, str] = {
    "reply_rate": "reply-in-thread",
    "active_share": "channel-first",
    "median_first_reply_minutes": "mention",
    "trend": "decisions-in-channel",
}
FOR_NO_DATA = "channel-first"


def ordered_for(persona: Persona | None) -> list[Lesson]:
    """All lessons in the order that suits ``persona`` (the default order without one)."""
    return [BY_ID[lesson_id] for lesson_id in ORDER[persona or DEFAULT_PERSONA]]


def for_metric(metric: str | None) -> Lesson:
    """The lesson that addresses ``metric`` (``None`` or unknown: the first habit)."""
    return BY_ID[FOR_METRIC.get(metric or "", FOR_NO_DATA)]

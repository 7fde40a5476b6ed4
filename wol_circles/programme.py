"""The 12-week Working Out Loud programme, as data, in Trimtab's own words.

The arc follows the method's known structure: a goal and a list of people first;
then small contributions, visible work, deeper relationships, a picture of the
goal reached and habits; the last weeks look back and plan what comes next.
"""

from __future__ import annotations

from dataclasses import dataclass

WEEKS_IN_PROGRAMME = 12


@dataclass(frozen=True)
class Week:
    """One week's guide: what the circle talks about and what each member tries."""

    number: int
    title: str
    purpose: str
    exercises: tuple[str, ...]
    reflection: str
    checkin_prompt: str


PROGRAMME: tuple[Week, ...] = (
    Week(
        1,
        "Choose a goal and the people around it",
        "Agree how the circle will work and give every member a goal worth an hour a week.",
        (
            "Write one sentence about something you want to learn, explore or achieve "
            "in the next three months.",
            "List ten people who know about that topic or could help with it: colleagues, "
            "authors, people in other teams.",
            "Agree as a circle when you meet and what stays inside the circle.",
        ),
        "Why does this goal matter to you, beyond your job description?",
        "Share your goal in one sentence and how many names are on your list.",
    ),
    Week(
        2,
        "Small gifts first",
        "Start relationships by giving something small, without asking for anything.",
        (
            "Follow or bookmark the work of three people on your list.",
            "Thank someone on your list for something they made or said.",
            "React to or reply in a channel thread where one of them posted.",
        ),
        "How did it feel to give attention without expecting a return?",
        "Which small contribution did you make, and to whom?",
    ),
    Week(
        3,
        "Show a piece of your work",
        "Make part of what you do visible so others can find it and join in.",
        (
            "Post something you are working on in a team channel instead of a private chat.",
            "Write down a lesson from this week in three sentences and share it.",
            "Update your profile so it says what you care about, not just your title.",
        ),
        "What stops you from sharing unfinished work, and is that worry justified?",
        "Where did you show your work, and what came back?",
    ),
    Week(
        4,
        "Widen the list",
        "Grow the set of people related to your goal and find where they gather.",
        (
            "Add five new names to your list, including someone outside your department.",
            "Find one community, channel or event where people interested in your goal meet.",
            "Ask a circle member to suggest one person you have not thought of.",
        ),
        "Whose perspective is missing from your list so far?",
        "Who did you add to your list, and where do they gather?",
    ),
    Week(
        5,
        "Offer what you know",
        "Turn your own experience into contributions that are useful to others.",
        (
            "Answer an open question in a channel where you have relevant experience.",
            "Share a resource, template or checklist you rely on, with a line on why.",
            "Offer a short call to someone on your list who is facing a problem you solved.",
        ),
        "What do you know that you take for granted but others would value?",
        "What did you offer this week, and how was it received?",
    ),
    Week(
        6,
        "Picture the goal reached",
        "Make the goal concrete by imagining what it looks like once you get there.",
        (
            "Write a short note dated three months from now describing the goal as achieved.",
            "Name three things that would be different in your working week.",
            "Read your note to the circle and ask what they would add.",
        ),
        "Did imagining the result change the goal itself?",
        "Describe in a few words what reaching your goal looks like.",
    ),
    Week(
        7,
        "Go deeper with a few people",
        "Move from light touches to real conversations with the people who matter most.",
        (
            "Pick the three relationships on your list most important to your goal.",
            "For each, note what you know about their priorities and what would help them.",
            "Have one conversation where you mostly listen and ask about their work.",
        ),
        "What did you learn about someone that changed how you see them?",
        "Which relationship did you deepen, and what did you learn?",
    ),
    Week(
        8,
        "Make your work discoverable",
        "Let the useful things you produce keep working for you after you share them.",
        (
            "Collect three things you shared so far into one post, page or wiki entry.",
            "Pin or tag the most useful thread so newcomers can find it.",
            "Invite feedback on one piece of work from someone outside your team.",
        ),
        "What would a stranger learn about you from what they can find today?",
        "What did you make easier to find, and did anyone use it?",
    ),
    Week(
        9,
        "Build the habit",
        "Turn what worked into a small routine that survives a busy week.",
        (
            "Choose one contribution you will make every week and put it in your calendar.",
            "Pick a fixed ten minutes a day for your list, your network or your notes.",
            "Tell the circle which habit you chose so they can ask about it.",
        ),
        "Which of the past weeks' practices felt natural, and which felt forced?",
        "Which habit did you choose, and did you keep it this week?",
    ),
    Week(
        10,
        "Try something bigger",
        "Stretch with an experiment that is slightly uncomfortable and treat it as learning.",
        (
            "Propose a talk, a demo or a write-up about your goal topic.",
            "Ask someone on your list for help or an introduction, plainly and specifically.",
            "Note what you expected and what actually happened.",
        ),
        "What would you attempt if a poor first result cost you nothing?",
        "What did you try, and what did it teach you?",
    ),
    Week(
        11,
        "Look back and take stock",
        "See how far you came: the goal, the relationships and your own way of working.",
        (
            "Compare your list today with the one from week 1.",
            "Reread your note from week 6 and mark what has already come true.",
            "Tell each circle member one thing you noticed them do well.",
        ),
        "Which change in yourself surprised you most?",
        "What is the biggest difference between week 1 and now?",
    ),
    Week(
        12,
        "What comes next",
        "Close the circle well and decide how the practice continues without it.",
        (
            "Write your next goal, or the next step of this one, in one sentence.",
            "Decide whether to start or join a new circle, and who you could invite.",
            "Celebrate together: share one thing the circle gave you.",
        ),
        "How will you keep working out loud when no weekly meeting reminds you?",
        "What is your next step, and will you start or join another circle?",
    ),
)


def week(number: int) -> Week:
    """The guide for week ``number`` (1–12); ``ValueError`` outside that range."""
    if not 1 <= number <= WEEKS_IN_PROGRAMME:
        raise ValueError(f"week must be 1..{WEEKS_IN_PROGRAMME}, not {number}")
    return PROGRAMME[number - 1]

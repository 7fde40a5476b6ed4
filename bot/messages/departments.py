"""Strings of the metrics by department (``TRIMTAB_GROUP_BY=department``)."""

from __future__ import annotations

GROUPING_OFF = (
    "Metrics by department are off. Set TRIMTAB_GROUP_BY=department, grant the Graph app "
    "registration the User.Read.All application permission, and run a sync."
)
NONE_STORED = (
    "No departments yet: the next sync reads them from Microsoft Graph "
    "(TRIMTAB_GROUP_BY=department needs the User.Read.All application permission)."
)
TITLE = "Departments"
TABLE_TITLE = "Metrics by department"
HEADERS = [
    "Department",
    "People",
    "Posts",
    "Replies",
    "Reply rate",
    "Unanswered",
    "Median first reply (min)",
    "Active posters",
    "Active share",
    "Champion share",
    "Reply rate among departments",
]
RANK = "top {percent}% of {ranked}"
NOTE = "what each department's people wrote, in any team"
SUPPRESSED_NOTE = "fewer than {size} active people: too few people to report"
BAD_WEEKS = "weeks must be a whole number from 1 to {most}"

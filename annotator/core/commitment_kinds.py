"""The kind of a commitment, proposed from its wording: "urged member states to ..." is a call, "agreed to" an
agreement, "pledged" or "will strengthen" a pledge, "has proposed that ... " or "plans to" a plan, "launched" an
action. The reviewer confirms or corrects it in the attributes panel, as for an entity or a figure's value.

The cue that comes first in the span decides: a commitment's verb comes before what it commits to ("Vietnam has
proposed that countries ... implement joint actions" is a plan, not an action). No cue, no proposal.
"""
from __future__ import annotations

import re

# (kind, cues): whole words, case-insensitive; the kinds are the default scheme's COMMITMENT choices
CUES = (
    ("call", r"urg(?:e|es|ed|ing)|call(?:s|ed|ing)? (?:on|upon|for)|the call|appeal(?:s|ed)?|"
             r"encourag(?:e|es|ed)|invit(?:e|es|ed) (?:\w+ )?to|demand(?:s|ed)?"),
    ("agreement", r"agree(?:s|d|ment|ments)?|sign(?:s|ed|ing)?|memorandum|MoU|accord|treaty|protocol|"
                  r"welcom(?:e|es|ed)|endors(?:e|es|ed)|adopt(?:s|ed)"),
    ("plan", r"plan(?:s|ned|ning)?|propos(?:e|es|ed|al)|intend(?:s|ed)?|aim(?:s|ed)? to|roadmap|strategy|"
             r"will (?:launch|establish|set up|develop|draft)"),
    ("action", r"launch(?:es|ed)|carried out|conduct(?:s|ed)|set up|established|implemented|rescued|arrested|"
               r"dismantled|deployed|trained"),
    ("pledge", r"pledg(?:e|es|ed|ing)|commit(?:s|ted|ment)?|promis(?:e|es|ed)|vow(?:s|ed)?|will|shall|"
               r"vow(?:s|ed)? to"),
)
_PATTERN = re.compile("|".join(f"(?P<{kind}>\\b(?:{cue})\\b)" for kind, cue in CUES), re.IGNORECASE)


def propose_kind(text: str, choices: tuple[str, ...] | None = None) -> str | None:
    """The kind the first cue of ``text`` names, if it is one of ``choices`` (all kinds when None); else None."""
    for match in _PATTERN.finditer(text):
        kind = match.lastgroup
        if choices is None or kind in choices:
            return kind
    return None

"""minified-code: a text rule (it runs on scripts that do not parse too).

Measured on the samples and on common libraries: readable code keeps ~1 statement a
line and lines under ~120 characters; minifiers put dozens of statements on lines
of thousands of characters, and obfuscators add _0x... names and \\x escapes. A long
data line or URL is one long line holding one statement, so long lines alone never
decide it: the statements packed on them do.
"""

import re

from review.engine.registry import Hit, rule

# Strings and comments are blanked first: a ';' in a string is not a statement. Each
# alternative, once started, matches (an unterminated string or comment runs to the end
# of its line or of the script) and never backtracks (possessive `*+`), so the scan is
# linear in the script's size: a lazy `/\*.*?\*/` rescanned the rest of the script
# from every unterminated `/*` (100 KiB of them took 31 s).
STRINGS_AND_COMMENTS = re.compile(
    r"""'(?:[^'\\\n]|\\.)*+'?|"(?:[^"\\\n]|\\.)*+"?|`(?:[^`\\]|\\.)*+`?|/\*(?:[^*]|\*(?!/))*+(?:\*/)?|//[^\n]*+""",
    re.DOTALL,
)
# A "}" closing an object literal in data ("},", "}]") ends no statement.
STATEMENT_END = re.compile(r";|\}(?!\s*[,\]);.])")
OBFUSCATED_NAME = re.compile(r"\b_0x[0-9a-fA-F]{3,}\b")
HEX_ESCAPES = re.compile(r"(?:\\x[0-9a-fA-F]{2}){4,}")

LONG_LINE = 200  # characters
PACKED_LINE = 8  # statement ends on one line
MIN_PACKED_SHARE = 0.5  # of all statement ends sitting on packed long lines
MIN_STATEMENTS = 10


def minified_evidence(text):
    """A sentence of evidence when the script looks minified or obfuscated, else None."""
    code = STRINGS_AND_COMMENTS.sub(lambda m: '""' if m.group(0)[0] in "'\"`" else "", text)
    lines = [line for line in code.split("\n") if line.strip()]
    ends_per_line = [len(STATEMENT_END.findall(line)) for line in lines]
    total_ends = sum(ends_per_line)
    packed = [(len(line), n) for line, n in zip(lines, ends_per_line) if len(line) >= LONG_LINE and n >= PACKED_LINE]
    packed_ends = sum(n for _, n in packed)
    if total_ends >= MIN_STATEMENTS and packed and packed_ends / total_ends >= MIN_PACKED_SHARE:
        longest = max(length for length, _ in packed)
        return (f"{packed_ends} of {total_ends} statements sit on {len(packed)} line{'' if len(packed) == 1 else 's'} of up to "
                f"{longest:,} characters (at least {PACKED_LINE} statements on a line of "
                f"{LONG_LINE}+ characters)")
    names = OBFUSCATED_NAME.findall(code)
    if len(set(names)) >= 5:
        return f"{len(set(names))} obfuscator-style names such as {names[0]}"
    if len(HEX_ESCAPES.findall(text)) >= 5:
        return "strings written as runs of \\x escapes"
    return None


@rule("minified-code", phase="automated", severity="error",
      hint="Submit the readable source: one statement a line, meaningful names.")
def minified_code(ctx):
    for script in ctx.scripts:
        evidence = minified_evidence(script.text)
        if evidence:
            yield Hit(script.path, None, None, f"The script looks minified or obfuscated: {evidence}.")

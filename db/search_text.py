"""The one normalisation of names for the desk's partial search, used on the stored side (filled
on every write of an applicant) and on the query side alike.

NFKC folds full-width ASCII (ＡＢＣ), half-width katakana (ｶﾅ) and the full-width space into
their usual forms; casefold then ignores letter case. NFKC again afterwards: casefolding can
leave a string that is no longer NFKC (Unicode's NFKC_Casefold does the same)."""
from __future__ import annotations

import unicodedata


def search_key(text: str | None) -> str:
    folded = unicodedata.normalize("NFKC", text or "").casefold()
    return unicodedata.normalize("NFKC", folded)

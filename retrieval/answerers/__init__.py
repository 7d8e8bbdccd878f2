"""One module per kind of answer, each ``(query, reports, stores) -> Answer``: values and arithmetic
(:mod:`.values`), lists and counts (:mod:`.lists`), the check findings (:mod:`.consistency`), quoted passages
(:mod:`.quotes`). The assistant decides which one answers; they never call back into it."""

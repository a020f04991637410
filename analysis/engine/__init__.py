"""The counting engine behind every verb (internal): frames in and out, batches of whole documents,
integer codes and sorted runs, the co-occurrence incidence, association measures, memory release.

Nothing here is public API; the verbs in the other subpackages are built on it.
"""


__all__: list[str] = []

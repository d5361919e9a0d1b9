"""One quote, many sources: which quotes are the same words said once and quoted many times.

`groups.py` numbers the groups and describes one; `near_duplicates.py` finds the candidate
pairs among many texts and aligns them.
"""

from .groups import GroupInfo, GroupSource, assign_groups, group_summary

__all__ = ["GroupInfo", "GroupSource", "assign_groups", "group_summary"]

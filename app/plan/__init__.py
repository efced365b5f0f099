"""The plan's vocabulary: operations, postings, periods, issues and plans.

It sits below ``app/mapping/`` and ``app/accounting/`` (both use it, it uses neither),
so imports run one way: plan <- mapping <- accounting <- sync/poster.
"""

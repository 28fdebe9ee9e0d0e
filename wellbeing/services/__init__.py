"""Every write to staff ideas goes through here: one transaction and one audit record each.

- campaigns.py  campaigns and their themes (programme admins)
- ideas.py      drafts, submission, attachments and following
- votes.py      votes, counted in the same transaction
- comments.py   comments, replies, edits, flags and moderation
- review.py     statuses, re-theming, merging and promotion into a joint project
"""

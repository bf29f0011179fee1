"""Reports of studies and comments: the moderators' side (/moderation/reports)."""

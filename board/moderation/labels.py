"""Moderation log actions, in words."""

ACTION_LABELS = {
    "study.submitted": "Submitted for review",
    "study.approved": "Approved and published",
    "study.changes_requested": "Asked for changes",
    "study.rejected": "Rejected",
    "study.withdrawn": "Withdrawn by its council",
    "study.unpublished": "Unpublished",
    "revision.submitted": "Changes submitted for review",
    "revision.approved": "Changes approved",
    "revision.changes_requested": "Asked for changes to an edit",
    "revision.rejected": "Changes rejected",
    "revision.withdrawn": "Changes withdrawn by its council",
    "member.verified": "Member verified",
    "report.filed": "Report made",
    "report.resolved": "Report resolved",
    "comment.hidden": "Comment hidden",
    "comment.restored": "Comment restored",
}

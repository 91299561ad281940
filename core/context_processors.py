from core.approvals import MyApprovals


def approvals(request):
    """`my_approvals.count` for the desk navigation; lazy, so pages that do not show it pay nothing."""
    return {"my_approvals": MyApprovals(request)}

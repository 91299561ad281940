from accounts import roles as role_rules


def roles(request):
    """Role flags for the shell: which navigation to show and the badge beside the user's name."""
    user = request.user
    primary = role_rules.primary_role(user)
    return {
        "is_agent": role_rules.is_agent(user),
        "is_manager": role_rules.is_manager(user),
        "is_admin_role": role_rules.is_admin(user),
        "primary_role": primary,
        "primary_role_label": role_rules.Role(primary).label if primary else "",
    }

from accounts import roles as role_rules


def roles(request):
    user = request.user
    return {
        "is_agent": role_rules.is_agent(user),
        "is_manager": role_rules.is_manager(user),
        "is_admin_role": role_rules.is_admin(user),
        "primary_role": role_rules.primary_role(user),
    }

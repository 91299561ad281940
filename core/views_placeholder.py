from django.contrib.auth.decorators import login_required
from django.shortcuts import render


@login_required
def placeholder(request, title):
    return render(request, "core/placeholder.html", {"title": title})

"""The portal navigation's cart count, read from the session the request already carries."""

from django import template

from fulfilment.cart import Cart

register = template.Library()


@register.simple_tag(takes_context=True)
def cart_count(context):
    request = context.get("request")
    session = getattr(request, "session", None)
    return len(Cart(session)) if session is not None else 0

from django import template

from budget.dashboard import lead_time_days

register = template.Library()

register.filter("duration_days", lead_time_days)

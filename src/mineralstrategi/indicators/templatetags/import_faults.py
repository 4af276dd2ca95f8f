"""`{{ fault|fault_text }}`: a fault of an import in the page's language (see indicators.faults)."""

from django import template

from mineralstrategi.indicators import faults

register = template.Library()


@register.filter
def fault_text(fault: object) -> str:
    return faults.fault_text(fault)

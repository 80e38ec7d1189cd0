"""Raise an unhandled exception."""


class PaymentDeclined(Exception):
    pass


def lambda_handler(event, context):
    charge(event.get("amount", 0))


def charge(amount):
    raise PaymentDeclined(f"card declined for {amount}")

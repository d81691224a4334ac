"""Monthly invoices. Likely upgraders get a discount to tip them over.

Billing is a declared consumer of model.predict (see CONSUMERS in model.py):
it names itself on every call and uses the model's own decision, never a
threshold of its own.
"""
from model import predict

UPGRADE_DISCOUNT = 0.10


def discount_for(customer):
    """Discount rate for this month's invoice."""
    return UPGRADE_DISCOUNT if predict(customer, consumer="billing").label else 0.0


def invoice(customer, amount):
    rate = discount_for(customer)
    return {"amount": amount, "discount": round(amount * rate, 2), "due": round(amount * (1 - rate), 2)}


if __name__ == "__main__":
    print(invoice({"logins_per_week": 14, "seats": 10, "support_tickets": 0}, 250.0))

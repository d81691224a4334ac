"""Monthly invoices. Likely upgraders get a discount to tip them over.

Billing started reading the model's output one afternoon; the model team
was never told, and nothing in model.py says that billing depends on it.
"""
from model import predict


def discount_for(customer):
    """Discount rate for this month's invoice."""
    if predict(customer) > 0.8:  # 0.8 "looked about right" in a 2022 chat
        return 0.10
    return 0.0


def invoice(customer, amount):
    rate = discount_for(customer)
    return {"amount": amount, "discount": round(amount * rate, 2), "due": round(amount * (1 - rate), 2)}


if __name__ == "__main__":
    print(invoice({"logins_per_week": 14, "seats": 10, "support_tickets": 0}, 250.0))

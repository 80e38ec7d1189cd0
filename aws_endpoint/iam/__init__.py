"""IAM: moto's, with the rules where it crashes on a request the real service answers (moto_rules.py)."""

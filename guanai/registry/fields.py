"""Field lists written once and read by the model, forms, file view, rules and the synthetic
generator (which runs without models, so the lists live here, in plain Python)."""

# What decides categories and benefits (the rules read these) ...
PARENT_FACT_FIELDS = (
    "status",
    "status_since",
    "status_until",
    "away_destination",
    "disability_category",
    "disability_grade",
    "has_aids",
    "can_work",
    "guardianship_capacity",
)
# ... and, with the person's own name, number and phone, what the file holds of a parent.
PARENT_FILE_FIELDS = ("name", "id_number", "phone", *PARENT_FACT_FIELDS)

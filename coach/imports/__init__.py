"""Imports from LinkedIn, X archives, vCard and Google Contacts: plan whole, then apply.

`plan_import(store, path)` reads and validates everything without writing; `apply_plan` writes it.
"""

from coach.imports.plan import ImportPlan, apply_plan, plan_import

__all__ = ["ImportPlan", "apply_plan", "plan_import"]

"""The fictional demo: invented geography, figures and plans, deterministic from a seed."""

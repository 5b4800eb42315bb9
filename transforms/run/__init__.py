"""One run of the pipeline: its plan and folder, and the steps (steps.py) that make it."""

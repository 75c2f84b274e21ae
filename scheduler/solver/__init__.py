"""The solver layer: the only code that imports OR-Tools or HiGHS."""

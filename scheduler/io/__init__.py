"""Files: reading scenarios, reading and writing schedules, atomic writes."""

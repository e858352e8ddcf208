"""投诉: filing and following complaints (anyone), handling them (supervisors)."""

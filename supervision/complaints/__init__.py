"""投诉: complaints from the public about a case, a department or an officer."""

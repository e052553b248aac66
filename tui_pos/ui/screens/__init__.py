"""One screen (or modal) per module; each only gathers input and shows results."""

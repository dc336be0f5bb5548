"""Writing records out: JSON Lines now; the formats researchers load come here too."""

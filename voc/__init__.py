"""Voice of the customer: complaints, suggestions, compliments and inquiries (VOC…)."""

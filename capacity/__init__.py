"""CI utilisation metrics, thresholds that raise events, and forecasts of when a resource is full."""

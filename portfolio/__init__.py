"""The service portfolio: business services with their life cycle (pipeline, live, retired), owners, customers, agreements and the published service catalogue."""

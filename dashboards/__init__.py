"""Dashboards for agents, team leads and managers over pre-aggregated figures."""

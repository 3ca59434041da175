"""Deployment files (nginx in front of several app servers) and the few lines that render them."""

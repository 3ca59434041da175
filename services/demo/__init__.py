"""Demo data for sales demos and local development (NSS_DEMO, on by default when embedded).

`accounts` holds the demo passwords and staff, each other module seeds one part of the demo world
through the real use cases where they exist, and `seeding` lists the seeders explicitly and runs them
in one unit of work. Nothing registers itself on import.
"""

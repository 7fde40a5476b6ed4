"""Admin and CSM surfaces: adoption summaries, sync on demand, the weekly digest."""

"""RQ jobs: everything slow or external (WeChat API calls, media downloads, tickets)."""

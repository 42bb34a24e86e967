"""Engine: progress of every goal computed from the stored values, and the kept results.

May import store, domain, i18n and config.
"""

"""The bottom floor: what several apps share and no feature owns.

Sanitised Markdown, image checks, plain-text fields and filters, the site-wide
template tags, the rate limiter and the shared topic taxonomy. It imports no
app of this project except through Django's settings.
"""

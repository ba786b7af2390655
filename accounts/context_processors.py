from .gating import PROMPTS


def gate_prompts(request):
    """The gated-action prompts, for links marked with data-gate in templates."""
    return {"gate_prompts": PROMPTS}

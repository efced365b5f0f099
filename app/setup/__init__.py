"""The setup wizard's core: plain Python, no Qt (STYLE: the wizard is a view over this).

``state.SetupState`` holds every answer; ``rules`` says per page whether Next is allowed,
what stays unmapped and what that blocks, and which page comes next; ``connecting``,
``source`` and ``summary`` are the long pieces of work the GUI runs through its one
background helper; ``finish`` saves everything once, in one transaction. Tests drive it
all without widgets; the GUI in ``app/ui/wizard`` only fills pages from it and writes
the user's choices back.
"""

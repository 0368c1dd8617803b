"""Propositions: a claim, with the claims for and against it.

Each topic carries a few propositions, proposed by the engine (``propose``) or made by an analyst
(pinned claims or typed text, ``tables``). Every claim of the topic is scored against each of them
(``scoring``: proposition as the claim, the other text as the evidence), and disputes and the pairs
that follow from them are read off those scores (``disputes``). Cost: claims x propositions.
"""

"""The token-authenticated JSON API for larger contractors, mapped onto the DICO messages (Ketenstandaard).

It offers what the contractor's web page offers, through the same services and with the same state rules.
"""

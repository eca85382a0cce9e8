"""Who may do what: accounts, roles and scopes (issue "Sign-in, roles and safe sharing").

Below the pages and the command line, above the store: :mod:`ecm.access.accounts` keeps the
accounts (Argon2id password hashes, lock-out after repeated failures, every sign-in in the
audit log).
"""

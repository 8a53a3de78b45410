"""Pain-to-program rules and red-flag referral: the coach adapts, it never diagnoses."""

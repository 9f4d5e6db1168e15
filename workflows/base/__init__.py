"""What every workflow shares: governance time, activity policies, common steps."""

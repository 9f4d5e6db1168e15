"""The registry: changes to members, people, plenaries, Chair terms and seats."""

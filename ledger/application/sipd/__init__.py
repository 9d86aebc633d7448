"""SIPD sync: the tables of a wp-sipd mirror, read at one instant, recorded as the differences
from what SIPD last said (docs/sipd.md)."""

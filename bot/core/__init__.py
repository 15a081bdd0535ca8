"""What every layer may import: the neutral reply types and the ports adapters implement."""

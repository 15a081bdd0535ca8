"""Tools that run the real bot against fakes: the demo and the test suite share them."""

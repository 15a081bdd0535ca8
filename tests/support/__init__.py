"""What tests of every tier share: fake clocks, waiting for events, the test database, and
acting as citizens, employees and staff."""

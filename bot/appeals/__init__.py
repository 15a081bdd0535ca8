"""Appeals and complaints (59-FZ): the domain, with no messenger code."""

"""Entity resolution, network analytics and GNNs; reaches the graph only through ``graph``."""

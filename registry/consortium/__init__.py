"""Running the registry on a consortium chain: the nodes' account allowlists kept equal to its members."""

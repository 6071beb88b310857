"""The views floor: HTML, graphviz and widgets drawn from models; views never import stages or recompute."""

"""The innovation library, the IID self-score and the phased adoption roadmap."""

"""Neural networks built from autograd Values."""

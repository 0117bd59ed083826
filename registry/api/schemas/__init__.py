"""Response models of the public API: what each endpoint answers, with camelCase JSON names."""

"""Source readers and mappings: file rows -> schema models -> graph writes."""

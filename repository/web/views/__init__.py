"""The pages, one blueprint per area: home (index, sources, resources), lists, edit."""

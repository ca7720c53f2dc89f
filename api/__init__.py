"""Every way in: settings, CLI, and (later) the HTTP app, GraphQL schema and jobs."""

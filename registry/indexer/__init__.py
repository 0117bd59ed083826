"""The indexer: follows every registry event from the deployment block into the SQL store, exactly."""

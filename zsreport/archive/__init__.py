"""Archive: issued documents kept read-only with checksums, revisions and the 文号 registry."""

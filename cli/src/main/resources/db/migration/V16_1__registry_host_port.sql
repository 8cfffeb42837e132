-- Read model: the loopback port of the host a build or cache registry is published on
-- (RegistryStarted.hostPort), so status and the API show the push address without the spec. Null for
-- mirrors and for registries started before host ports existed (their events carry none), so nothing
-- needs refilling from the log.
ALTER TABLE registries ADD COLUMN host_port INTEGER;

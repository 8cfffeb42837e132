-- What lo registry warm put into each pull-through mirror (ImageWarmed), until the mirror's container is
-- removed (RegistryRemoved: its volume and cache go with it). A warm reads it to skip images the mirror
-- already holds. docs/registry-commands.md.
CREATE TABLE warmed_images (
    machine_id VARCHAR(36)  NOT NULL,
    mirror     VARCHAR(200) NOT NULL,
    digest     VARCHAR(200) NOT NULL,
    platform   VARCHAR(100) NOT NULL,
    PRIMARY KEY (machine_id, mirror, digest, platform)
);

-- Refilled from the log on the first use after this migration (projection_position behind the head).
UPDATE projection_position SET position = 0;

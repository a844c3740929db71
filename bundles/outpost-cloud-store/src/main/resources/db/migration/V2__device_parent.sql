-- Outpost Cloud schema, version 2: a device may have a parent, the edge device whose scope it is in (a leaf
-- device behind that edge). The edge's keys then also sign tokens for the child. NULL: no parent.

ALTER TABLE devices ADD COLUMN parent_id VARCHAR(128);
CREATE INDEX devices_parent ON devices (parent_id);
